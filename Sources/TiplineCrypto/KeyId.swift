/// A 16-byte identifier of a public key: `H_16("tipline/v1/key-id", public_key)`
/// (proto/PROTOCOL.md §2.4). Key ids label envelope recipients and name
/// responders; they are not secret.
public struct KeyId: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let byteCount = 16
    public let bytes: [UInt8]

    public init(publicKey: [UInt8]) {
        bytes = DomainHash.hash(DomainHash.Label.keyId, outputLength: Self.byteCount, publicKey)
    }

    /// Accepts exactly 16 bytes; anything else is `nil`.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// Lexicographic byte order: the canonical order of recipients and responders.
    public static func < (lhs: KeyId, rhs: KeyId) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    /// Lower-case hex, the form used in logs, JSON and file names.
    public var description: String { Hex.encode(bytes) }
}
