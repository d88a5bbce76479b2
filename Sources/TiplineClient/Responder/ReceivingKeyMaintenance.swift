import TiplineCrypto
import TiplineRPC

/// One pass over a responder's receiving keys, run by `tipline inbox` after
/// it has synced and opened the cases (so that the archive holds what the
/// keys opened) and by `tipline keys rotate`: destroy the spent keys,
/// create the next one when due (or asked), write the keystore once, then
/// publish every live key the server does not serve yet.
public enum ReceivingKeyMaintenance {
    public struct Outcome: Sendable {
        /// The key created in this pass, if any.
        public var created: ReceivingKeyStatement?
        /// The keys destroyed in this pass.
        public var destroyed: [ReceivingKeyStatement] = []
        /// Keys past their grace that are kept, and why.
        public var kept: [(statement: ReceivingKeyStatement, fate: ReceivingKeyRotation.Fate)] = []
        /// How many keys were published to the server in this pass.
        public var published = 0
        /// Keys the server did not take, with why: tried again on the next pass.
        /// A refusal never fails the pass, so that `tipline inbox` keeps working.
        public var unpublished: [(statement: ReceivingKeyStatement, reason: String)] = []
        /// The keystore contents after the pass.
        public var keys: KeystoreContents
    }

    /// - Parameters:
    ///   - force: create a new key even when none is due.
    ///   - save: writes the keystore; called before anything is published,
    ///     so that no key the server hands out is missing from the keystore.
    ///   - keys: the keystore as it is now (read again under the caller's lock).
    public static func run(_ workspace: ResponderWorkspace, keys current: KeystoreContents, force: Bool = false,
                           save: (KeystoreContents) throws -> Void) async throws -> Outcome {
        let now = workspace.connection.clock()
        let policy = workspace.bundle.receivingKeys
        var keys = current
        var outcome = Outcome(keys: keys)
        let counts = try workspace.unarchived(Set(keys.receivingKeys.map(\.statement.keyId)))
        let synced = try workspace.cache.lastCompleteSyncStart()
        var held: [HeldReceivingKey] = []
        for key in keys.receivingKeys {
            let fate = ReceivingKeyRotation.fate(of: key, policy: policy, now: now, lastCompleteSyncStart: synced,
                                                 unarchived: counts[key.statement.keyId] ?? 0)
            switch fate {
            case .spent: outcome.destroyed.append(key.statement)
            case .inUse: held.append(key)
            case .awaitingSync, .awaitingArchive:
                held.append(key)
                outcome.kept.append((key.statement, fate))
            }
        }
        if force || ReceivingKeyRotation.isDue(held, policy: policy, now: now) {
            guard held.count < Keystore.maximumReceivingKeys else {
                throw ResponderError.tooManyReceivingKeys(Keystore.maximumReceivingKeys)
            }
            // The server keeps at most RK_MAX_LIVE unexpired keys a responder: a fifth would never be published.
            let live = held.count { $0.statement.notAfter > now }
            guard live < ReceivingKeyStatement.maximumLivePerResponder else {
                throw ResponderError.tooManyLiveReceivingKeys(ReceivingKeyStatement.maximumLivePerResponder)
            }
            let next = ReceivingKeyRotation.newKey(for: keys, bundle: workspace.bundle, now: now)
            held.append(next)
            outcome.created = next.statement
        }
        if outcome.created != nil || !outcome.destroyed.isEmpty {
            keys = keys.with(receivingKeys: held)
            try save(keys)
            outcome.keys = keys
        }
        let served = Set(workspace.receivingKeys.compactMap { try? ReceivingKeyStatement(parsing: $0).keyId })
        for key in held where key.statement.notAfter > now && !served.contains(key.statement.keyId) {
            do {
                _ = try await workspace.connection.publishReceivingKey(key.statement, as: keys.signingKey)
                outcome.published += 1
            } catch let error as RPCError where error.status == .alreadyExists {
                continue
            } catch {
                outcome.unpublished.append((key.statement, "\(error)"))
            }
        }
        return outcome
    }
}
