/// Where fresh randomness comes from. Production code always uses
/// ``SystemRandom``; ``SeededRandom`` exists so that the test-vector generator
/// produces the same files on every run.
public protocol RandomSource: Sendable {
    /// Fills `buffer` with random bytes.
    func fill(_ buffer: UnsafeMutableRawBufferPointer)
    /// True only for ``SystemRandom``. Constructions that have a libsodium
    /// one-shot (such as `crypto_box_seal`) use it when this is true.
    var isSystem: Bool { get }
}

extension RandomSource {
    /// `count` random bytes as a secret.
    public func secret(_ count: Int) -> SecureBytes {
        SecureBytes(count: count) { fill($0) }
    }

    /// `count` random bytes that are not secret (nonces, salts).
    public func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { fill($0) }
        return out
    }
}
