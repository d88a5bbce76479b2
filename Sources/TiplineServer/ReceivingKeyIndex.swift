import TiplineCrypto
import TiplineLocking

/// The receiving keys the server serves and accepts envelopes for
/// (PROTOCOL.md §14.2, §14.3), kept in memory: every submission is checked
/// against them. Bounded: only keys whose window (plus the accept grace) is
/// still open, at most `RK_MAX_LIVE` per responder; the store keeps them all.
final class ReceivingKeyIndex: Sendable {
    private let keys = Locked<[KeyId: ReceivingKeyStatement]>([:])

    func insert(_ statement: ReceivingKeyStatement) {
        keys.withLock { $0[statement.keyId] = statement }
    }

    /// Drops keys no envelope may name any more.
    func prune(now: UInt64) {
        keys.withLock { keys in
            keys = keys.filter { now < $0.value.notAfter &+ ReceivingKeyStatement.acceptGrace }
        }
    }

    /// Key id → responder id of every key an envelope may be sealed to now:
    /// begun (within the clock skew), and not closed for longer than the
    /// accept grace.
    func accepted(now: UInt64) -> [KeyId: KeyId] {
        keys.withLock { keys in
            var accepted: [KeyId: KeyId] = [:]
            for (id, statement) in keys
            where statement.notBefore <= now + ReceivingKeyStatement.allowedClockSkew
                && now < statement.notAfter &+ ReceivingKeyStatement.acceptGrace {
                accepted[id] = statement.responderId
            }
            return accepted
        }
    }

    /// What `GetBundle` serves: the statements of the bundle's responders
    /// whose window has not closed, oldest first.
    func served(now: UInt64, bundle: KeyBundle) -> [ReceivingKeyStatement] {
        keys.withLock { keys in
            // Each was verified in full when it was published; a later bundle
            // can only have dropped its responder or shortened the window.
            keys.values.filter {
                now < $0.notAfter && bundle.responder(id: $0.responderId) != nil
                    && $0.notAfter - $0.notBefore <= UInt64(bundle.receivingKeys.window)
            }
                .sorted { ($0.notBefore, $0.keyId) < ($1.notBefore, $1.keyId) }
        }
    }
}
