/// A key bundle with the organisation's Ed25519 signature:
/// `body || signature(64)` where the signature covers
/// `u8(27) || "tipline/v1/bundle-signature" || body` (proto/PROTOCOL.md §3.2).
public struct SignedKeyBundle: Hashable, Sendable {
    /// The parsed body. Not trusted until ``verify(pinned:now:lastSeen:)`` returns it.
    public let unverifiedBundle: KeyBundle
    /// The exact signed bytes, kept so that the id and signature never depend
    /// on re-encoding.
    public let body: [UInt8]
    public let signature: [UInt8]

    init(bundle: KeyBundle, body: [UInt8], signature: [UInt8]) {
        self.unverifiedBundle = bundle
        self.body = body
        self.signature = signature
    }

    /// Parses `body || signature` strictly. This checks structure only.
    public init(parsing bytes: [UInt8]) throws(KeyBundleError) {
        guard bytes.count > SigningKeyPair.signatureByteCount else { throw .truncated }
        let bodyBytes = Array(bytes.dropLast(SigningKeyPair.signatureByteCount))
        var reader = ByteReader(bodyBytes)
        // Magic and format first, so that random bytes read as "not a bundle"
        // rather than as a bundle with trailing garbage.
        let bundle = try KeyBundle.decode(&reader)
        guard reader.isAtEnd else { throw .trailingBytes }
        self.unverifiedBundle = bundle
        self.body = bodyBytes
        self.signature = Array(bytes.suffix(SigningKeyPair.signatureByteCount))
    }

    /// `body || signature`.
    public var encoded: [UInt8] { body + signature }

    /// `H_32("tipline/v1/bundle-id", body)`.
    public var id: [UInt8] { DomainHash.hash(DomainHash.Label.bundleId, body) }

    /// Verifies, in this order: the organisation key matches the pinned
    /// fingerprint; the signature; the validity period against `now`; and
    /// that the version does not go below (or fork) the last one seen.
    ///
    /// - Parameters:
    ///   - pinned: the organisation fingerprint the caller trusts.
    ///   - now: the current time in Unix seconds.
    ///   - lastSeen: the newest bundle this caller accepted before, if any.
    public func verify(pinned: Fingerprint, now: UInt64, lastSeen: SeenBundle? = nil) throws(KeyBundleError) -> KeyBundle {
        let bundle = unverifiedBundle
        guard bundle.organisationFingerprint.matches(pinned) else { throw .wrongOrganisation }
        guard bundle.organisationKey.isValidSignature(signature, for: body, context: DomainHash.Label.bundleSignature)
        else { throw .badSignature }
        guard now < bundle.expiresAt else { throw .expired }
        guard bundle.issuedAt <= now + KeyBundle.allowedClockSkew else { throw .notYetValid }
        if let seen = lastSeen {
            if bundle.version < seen.version { throw .rollback(seen: seen.version, offered: bundle.version) }
            if bundle.version == seen.version && id != seen.id { throw .equivocation(version: bundle.version) }
        }
        return bundle
    }

    /// What a verifier remembers of the newest bundle it accepted.
    public var seen: SeenBundle { SeenBundle(version: unverifiedBundle.version, id: id) }
}
