import CSodium

/// `H_32(label, m)` (proto/PROTOCOL.md §2.3) computed over input that
/// arrives in pieces, so that an attachment's hash never needs the whole file
/// in memory. Not thread-safe: one hash belongs to one stream.
public final class StreamingHash {
    private var state: UnsafeMutableRawPointer?
    private let outputLength: Int

    public init(_ label: String, outputLength: Int = 32) {
        Sodium.ensureInitialized()
        self.outputLength = outputLength
        guard let state = tipline_generichash_new(outputLength) else {
            preconditionFailure("out of memory for a hash state")
        }
        self.state = state
        let labelBytes = Array(label.utf8)
        update([UInt8(labelBytes.count)] + labelBytes)
    }

    deinit {
        if let state {
            var discard = [UInt8](repeating: 0, count: outputLength)
            tipline_generichash_final_free(state, &discard, outputLength)
        }
    }

    public func update(_ bytes: some Collection<UInt8>) {
        guard let state else { preconditionFailure("hash already finalised") }
        let done: Void? = bytes.withContiguousStorageIfAvailable { b in
            tipline_generichash_update(state, b.baseAddress, UInt64(b.count))
        }
        if done == nil {
            let copy = Array(bytes)
            tipline_generichash_update(state, copy, UInt64(copy.count))
        }
    }

    /// The digest; the hash cannot be updated afterwards.
    public func finalize() -> [UInt8] {
        guard let state else { preconditionFailure("hash already finalised") }
        var out = [UInt8](repeating: 0, count: outputLength)
        tipline_generichash_final_free(state, &out, outputLength)
        self.state = nil
        return out
    }
}
