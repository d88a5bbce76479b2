import CSodium

/// The operating system's CSPRNG through `randombytes_buf`.
public struct SystemRandom: RandomSource {
    public init() { Sodium.ensureInitialized() }

    public func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        randombytes_buf(base, buffer.count)
    }

    public var isSystem: Bool { true }
}
