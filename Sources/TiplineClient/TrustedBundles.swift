import TiplineCrypto

/// Fetching the key bundle a client may trust: the one in force, verified
/// against the pinned organisation (signature, expiry, and never older than
/// `lastSeen`), and the history, whose signatures are checked against the
/// same pin so old responders' signatures can still be attributed.
public enum TrustedBundles {
    public static func current(over connection: TiplineConnection, pinned: Fingerprint,
                               lastSeen: SeenBundle? = nil) async throws -> (bundle: KeyBundle, signed: SignedKeyBundle) {
        try await connection.fetchBundle(pinned: pinned, lastSeen: lastSeen)
    }

    /// Every published bundle the pinned organisation signed, oldest first.
    /// Expiry is not held against past bundles: they were valid when issued.
    public static func history(over connection: TiplineConnection, pinned: Fingerprint) async throws -> [KeyBundle] {
        try await connection.listBundles().compactMap { bytes in
            guard let signed = try? SignedKeyBundle(parsing: bytes) else { return nil }
            return try? signed.verify(pinned: pinned, now: signed.unverifiedBundle.issuedAt)
        }
    }
}
