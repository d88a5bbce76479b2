/// Who an envelope for responders is sealed to (proto/PROTOCOL.md §3.5):
/// each responder's current receiving key, or, where they have none, their
/// identity key or nobody, as the bundle's policy says.
public struct RecipientSelection: Sendable {
    /// The keys to wrap to, one per responder chosen.
    public let recipients: [BoxPublicKey]
    /// Responders sealed to their identity key: not forward-secret.
    public let identityFallbacks: [Responder]
    /// Responders left out: no valid receiving key, and the policy skips.
    public let skipped: [Responder]
    /// Statements the server served that failed §3.4, with why.
    public let refused: [ReceivingKeyError]

    /// Chooses, as §3.5 says. `statements` are the server's, unverified.
    public static func choose(bundle: KeyBundle, statements: [[UInt8]], now: UInt64)
        throws(RecipientSelectionError) -> RecipientSelection {
        var refused: [ReceivingKeyError] = []
        var current: [KeyId: ReceivingKeyStatement] = [:]
        for bytes in statements {
            let statement: ReceivingKeyStatement
            do {
                statement = try ReceivingKeyStatement(parsing: bytes)
                try statement.verify(in: bundle, now: now)
            } catch {
                refused.append(error)
                continue
            }
            if let held = current[statement.responderId], !isNewer(statement, than: held) { continue }
            current[statement.responderId] = statement
        }
        var recipients: [BoxPublicKey] = []
        var fallbacks: [Responder] = []
        var skipped: [Responder] = []
        for responder in bundle.responders {
            if let statement = current[responder.id] {
                recipients.append(statement.publicKey)
            } else if bundle.receivingKeys.fallback == .identity {
                recipients.append(responder.boxKey)
                fallbacks.append(responder)
            } else {
                skipped.append(responder)
            }
        }
        guard !recipients.isEmpty else { throw .noReceivingKeys(refused: refused.count) }
        return RecipientSelection(recipients: recipients, identityFallbacks: fallbacks, skipped: skipped, refused: refused)
    }

    /// Step 2's order: the greatest `not_before`, then the greatest
    /// `not_after`, then the smallest key id.
    static func isNewer(_ a: ReceivingKeyStatement, than b: ReceivingKeyStatement) -> Bool {
        if a.notBefore != b.notBefore { return a.notBefore > b.notBefore }
        if a.notAfter != b.notAfter { return a.notAfter > b.notAfter }
        return a.keyId < b.keyId
    }
}
