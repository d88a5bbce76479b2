import CSodium
import TiplineLocking

/// A deterministic byte stream for test vectors only: each call to ``fill(_:)``
/// draws `randombytes_buf_deterministic` output under a seed derived from the
/// base seed and a call counter. Never use it for real keys.
public final class SeededRandom: RandomSource {
    private let seed: [UInt8]
    private let counter = Locked<UInt64>(0)

    public init(seed: String) {
        Sodium.ensureInitialized()
        self.seed = DomainHash.hash(DomainHash.Label.deterministicRandom, Array(seed.utf8))
    }

    public func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        let n = counter.withLock { value -> UInt64 in
            defer { value += 1 }
            return value
        }
        var w = ByteWriter()
        w.write(n)
        let callSeed = DomainHash.hash(DomainHash.Label.deterministicRandom, seed, w.bytes)
        randombytes_buf_deterministic(base, buffer.count, callSeed)
    }

    public var isSystem: Bool { false }
}
