import CSodium

/// A 160-bit fingerprint of public-key material, shown as 32 Crockford
/// base-32 characters in eight groups of four (`ABCD-EFGH-…`) so that two
/// people can compare it aloud (proto/PROTOCOL.md §2.5).
///
/// `Fingerprint = H_20("tipline/v1/fingerprint", material)` where the material
/// is the organisation's Ed25519 public key, or for a responder
/// `ed25519_pk || x25519_pk`.
public struct Fingerprint: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 20
    public let bytes: [UInt8]

    public init(publicKeyMaterial: [UInt8]) {
        bytes = DomainHash.hash(DomainHash.Label.fingerprint, outputLength: Self.byteCount, publicKeyMaterial)
    }

    public init(organisationKey: SigningPublicKey) {
        self.init(publicKeyMaterial: organisationKey.bytes)
    }

    public init(signingKey: SigningPublicKey, boxKey: BoxPublicKey) {
        self.init(publicKeyMaterial: signingKey.bytes + boxKey.bytes)
    }

    /// Parses the displayed form, case-insensitively, with or without separators.
    public init(parsing text: String) throws(FingerprintError) {
        let values: [UInt8]
        switch Base32.normalize(text) {
        case .success(let v): values = v
        case .failure(let f): throw .invalidCharacter(position: f.position)
        }
        guard values.count == 32, let decoded = Base32.decode(values: values) else {
            throw .wrongLength(values.count)
        }
        bytes = decoded
    }

    /// `ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789`.
    public var description: String { Base32.grouped(Base32.encode(bytes)) }

    /// Compares in constant time; fingerprints are public, but a pinned value
    /// is the root of trust and we give timing nothing to measure.
    public func matches(_ other: Fingerprint) -> Bool {
        sodium_memcmp(bytes, other.bytes, Self.byteCount) == 0
    }
}
