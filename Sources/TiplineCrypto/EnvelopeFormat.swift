/// The `format` byte of an envelope (proto/PROTOCOL.md §4.1), which decides
/// its layout. ``Envelope/seal(_:kind:context:to:random:)`` writes only
/// ``keyCommitting``; openers read both, so that envelopes stored before
/// format 2 still open.
public enum EnvelopeFormat: UInt8, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    /// Format 1: no key commitment. Every recipient authenticates the same
    /// header, but a sender can wrap a different content key to each, and
    /// XChaCha20-Poly1305 does not commit to its key, so recipients can be
    /// shown different things. Opened for stored envelopes; never sealed, and
    /// refused by the server for new submissions.
    case uncommitted = 1
    /// Format 2: the header carries `commitment`, a keyed BLAKE2b of the
    /// content key over the rest of the header, which every opener checks
    /// before it decrypts (§4.4 step 8).
    case keyCommitting = 2

    /// The format ``Envelope/seal(_:kind:context:to:random:)`` writes.
    public static let sealed = EnvelopeFormat.keyCommitting

    /// Bytes the header spends on the key commitment: 0 or 32.
    public var commitmentByteCount: Int {
        switch self {
        case .uncommitted: 0
        case .keyCommitting: Envelope.commitmentByteCount
        }
    }

    public static func < (lhs: EnvelopeFormat, rhs: EnvelopeFormat) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "format \(rawValue)" }
}
