/// The checks `tipline audit` makes, by their stable report names, in report order.
public enum AuditCheck: String, CaseIterable, Sendable {
    /// The bundle in force is signed by the pinned organisation.
    case organisation = "organisation"
    /// Every published bundle verifies against the pin; the one in force has not expired.
    case bundleSignatures = "bundle signature and expiry"
    /// Versions strictly increase, none repeats, and each publication has its audit entry.
    case bundleHistory = "bundle history"
    /// The signed audit head verifies with the server key the bundle in force names.
    case serverIdentity = "server identity"
    /// The served audit log verifies and ends at the signed head.
    case auditChain = "audit chain"
    /// The served chain grew, without a cut or a change, from every head
    /// seen before (remembered from the last run, or `--expect-head`).
    case history = "history since last audit"
    /// (`--db`) Every stored envelope parses, and its kind fits its table.
    case storedEnvelopes = "stored envelopes well formed"
    /// (`--db`) How many stored envelopes are of each format; no format-1
    /// envelope was accepted after a format-2 one.
    case envelopeFormats = "envelope formats"
    /// (`--db`) Every envelope is sealed to exactly the recipients of the bundle it names.
    case recipients = "recipients"
    /// (`--db`) Every stored receiving key is signed by a responder of a
    /// bundle of the pinned organisation; per responder, the windows seen and
    /// the gaps between them; how many recent tips went to identity keys;
    /// a bundle that allows that is flagged.
    case receivingKeys = "receiving keys"
    /// (`--db`) Every envelope's padded length is a canonical bucket.
    case padding = "padding buckets"
    /// (`--db`) Every record matches its audit entry, and no entry's record is missing.
    case records = "records match the audit log"
    /// (`--db`) The database's chain verifies, agrees with the server's, and its signed heads verify.
    case storeChain = "db chain vs server"
    /// The linked libsodium (information).
    case libsodium = "crypto inventory: libsodium"
    /// The primitives in use and their sizes in the linked libsodium.
    case primitives = "crypto inventory: primitives"
    /// (`--keystore`, one row each) A keystore's Argon2id parameters meet MODERATE.
    case keystore = "crypto inventory: keystore"

    /// The checks that read the server's database.
    static let storeChecks: [AuditCheck] = [.storedEnvelopes, .envelopeFormats, .recipients, .receivingKeys, .padding, .records,
                                            .storeChain]
}
