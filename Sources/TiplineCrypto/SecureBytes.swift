import CSodium
import TiplineLocking

/// Secret bytes held in memory from `sodium_malloc`: locked against swapping,
/// surrounded by guard pages, and zeroed before they are released.
///
/// `SecureBytes` is a class so that the secret is never duplicated by a value
/// copy; there is deliberately no API that returns the bytes as an `Array`.
/// Read them in place with ``withUnsafeBytes(_:)``.
///
/// It is `@unchecked Sendable` because its storage is written only inside the
/// initialiser; afterwards it is read-only, so concurrent readers are safe.
public final class SecureBytes: @unchecked Sendable {
    private let pointer: UnsafeMutableRawPointer
    /// The bytes allocated, which can exceed ``count`` (see ``init(capacity:initializer:)``).
    private let allocated: Int
    /// The number of secret bytes.
    public let count: Int

    /// Allocates `count` bytes and lets `initializer` fill them.
    ///
    /// The initialisers take non-throwing closures on purpose. A closure of a
    /// throwing type (`throws(E)` or `rethrows`, even one that never throws)
    /// returns through Swift's error register, and Swift 6.3.1's LLVM forgets
    /// to clear that register when such a closure ends in a copy it turns
    /// into a tail jump to memcpy (swiftlang/swift#90477). The release
    /// `tipline-server` crashed that way in DomainHash (issue 11). A caller
    /// that can fail records the failure and throws after the closure returns,
    /// as ``Envelope/open(_:with:expecting:)`` does. See
    /// scripts/compiler-bugs/README.md for the reproduction and the check
    /// that keeps the shape out of the release binaries.
    public convenience init(count: Int, initializer: (UnsafeMutableRawBufferPointer) -> Void) {
        self.init(capacity: count) { (buffer: UnsafeMutableRawBufferPointer) -> Int in
            initializer(buffer)
            return buffer.count
        }
    }

    /// Allocates `capacity` bytes; `initializer` fills them and returns how
    /// many are the secret (at most `capacity`). This lets a decryption write
    /// straight into locked memory and keep only the useful prefix, without a
    /// second allocation and copy. The whole allocation is zeroed on release.
    /// The closure does not throw; see ``init(count:initializer:)`` for why.
    public init(capacity: Int, initializer: (UnsafeMutableRawBufferPointer) -> Int) {
        precondition(capacity >= 0, "SecureBytes capacity must not be negative")
        Sodium.ensureInitialized()
        // sodium_malloc(0) is valid but may return NULL on some builds; keep a
        // one-byte allocation so the pointer is always real.
        let size = max(capacity, 1)
        guard let raw = sodium_malloc(size) else {
            // Out of memory for secrets is not recoverable: continuing would
            // mean holding a secret in ordinary, swappable memory.
            preconditionFailure("sodium_malloc failed: cannot allocate locked memory for a secret")
        }
        let used = initializer(UnsafeMutableRawBufferPointer(start: raw, count: capacity))
        guard used >= 0 && used <= capacity else {
            sodium_memzero(raw, size)
            sodium_free(raw)
            preconditionFailure("initializer reported more bytes than it was given")
        }
        self.pointer = raw
        self.allocated = size
        self.count = used
    }

    /// `count` fresh random bytes from the system's CSPRNG.
    public convenience init(randomCount count: Int) {
        self.init(count: count) { buffer in
            if let base = buffer.baseAddress { randombytes_buf(base, buffer.count) }
        }
    }

    /// A secret copied from `bytes`. The caller remains responsible for
    /// zeroing its own copy.
    public convenience init(copying bytes: some Collection<UInt8>) {
        self.init(count: bytes.count) { buffer in
            _ = buffer.initializeMemory(as: UInt8.self, from: bytes)
        }
    }

    deinit {
        sodium_memzero(pointer, allocated)
        if let observer = SecureBytes.releaseObserver.withLock({ $0 }) {
            observer(UnsafeRawBufferPointer(start: pointer, count: count))
        }
        sodium_free(pointer)
    }

    /// Reads the secret in place. The buffer must not escape the closure.
    public func withUnsafeBytes<R, E: Error>(
        _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Mutable access for streaming cipher states that live in locked memory.
    /// Only a non-Sendable owner (``AttachmentEncryptor``, ``AttachmentDecryptor``)
    /// uses it, so the read-only promise holds for every shared instance.
    func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
    }

    /// A fresh `SecureBytes` holding `range` of this secret.
    public func slice(_ range: Range<Int>) -> SecureBytes {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "slice out of bounds")
        return SecureBytes(count: range.count) { destination in
            if let base = destination.baseAddress, range.count > 0 {
                base.copyMemory(from: pointer + range.lowerBound, byteCount: range.count)
            }
        }
    }

    /// Compares two secrets in constant time (for equal lengths) with
    /// `sodium_memcmp`. Lengths are not secret and are compared first.
    public func constantTimeEquals(_ other: SecureBytes) -> Bool {
        guard count == other.count else { return false }
        if count == 0 { return true }
        return sodium_memcmp(pointer, other.pointer, count) == 0
    }

    /// Compares this secret with ordinary bytes in constant time.
    public func constantTimeEquals(_ bytes: some ContiguousBytes) -> Bool {
        bytes.withUnsafeBytes { other in
            guard other.count == count else { return false }
            if count == 0 { return true }
            return sodium_memcmp(pointer, other.baseAddress!, count) == 0
        }
    }

    /// Test hook: called with the secret's memory after it has been zeroed and
    /// just before it is returned to libsodium, so tests can prove the zeroing.
    /// Production code never sets it.
    public static let releaseObserver = Locked<(@Sendable (UnsafeRawBufferPointer) -> Void)?>(nil)
}
