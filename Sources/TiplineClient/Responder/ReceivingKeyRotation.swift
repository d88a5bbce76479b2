import TiplineCrypto

/// When a responder's receiving keys are created and destroyed
/// (PROTOCOL.md §3.4–§3.6): a new key when none stays valid for another
/// quarter of the window, and a key destroyed once its window and grace
/// are over, a whole sync has begun after the server stopped accepting
/// envelopes for it, and everything sealed to it is in the case archive.
public enum ReceivingKeyRotation {
    /// Whether a new key is due: no held key is valid now and for at least
    /// another quarter window, so the next is published before the current one ends.
    public static func isDue(_ held: [HeldReceivingKey], policy: ReceivingKeyPolicy, now: UInt64) -> Bool {
        let margin = UInt64(policy.window) / 4
        return !held.contains {
            $0.statement.notBefore <= now + ReceivingKeyStatement.allowedClockSkew && $0.statement.notAfter > now + margin
        }
    }

    /// A new key pair and its statement, valid for the bundle's window from `now`.
    public static func newKey(for keys: KeystoreContents, bundle: KeyBundle, now: UInt64,
                              random: some RandomSource = SystemRandom()) -> HeldReceivingKey {
        let pair = BoxKeyPair(random: random)
        let statement = ReceivingKeyStatement(organisationKey: bundle.organisationKey, responder: keys.signingKey,
                                              publicKey: pair.publicKey, notBefore: now,
                                              notAfter: now + UInt64(bundle.receivingKeys.window))
        return HeldReceivingKey(statement: statement, keyPair: pair)
    }

    /// Why a held key is kept or may go.
    public enum Fate: Equatable, Sendable {
        /// Still in its window or its grace period.
        case inUse
        /// Past its grace, but no whole sync has begun since the server stopped accepting envelopes for it.
        case awaitingSync
        /// Past its grace, but this many cached items sealed to it are not in the case archive.
        case awaitingArchive(items: Int)
        /// May be destroyed now.
        case spent
    }

    /// §3.6 for one key. `unarchived` counts the cached items with a wrap for
    /// this key that are not in the archive.
    public static func fate(of key: HeldReceivingKey, policy: ReceivingKeyPolicy, now: UInt64,
                            lastCompleteSyncStart: UInt64?, unarchived: Int) -> Fate {
        let statement = key.statement
        guard now >= statement.notAfter &+ UInt64(policy.grace) else { return .inUse }
        guard let synced = lastCompleteSyncStart, synced >= statement.notAfter &+ ReceivingKeyStatement.acceptGrace else {
            return .awaitingSync
        }
        guard unarchived == 0 else { return .awaitingArchive(items: unarchived) }
        return .spent
    }
}
