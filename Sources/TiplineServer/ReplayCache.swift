import TiplineLocking

/// Remembers (key, nonce) pairs for as long as their timestamps could still
/// be accepted, so that a captured signed request cannot be sent again.
/// This is the fast path, in memory; the store keeps the same tokens
/// durably (`TipStore.spend`), so that a restart forgets none.
final class ReplayCache: Sendable {
    private struct Table {
        var seen: [[UInt8]: UInt64] = [:]
        /// Prune when the table reaches this size; doubling it after each
        /// prune keeps pruning amortised O(1) even when every entry is fresh.
        var pruneAt = 4096
    }

    private let table = Locked(Table())
    /// How long a token is remembered: longer than any could be accepted.
    let retention: UInt64

    init(retention: UInt64) {
        self.retention = retention
    }

    /// Records `token` at `now`; false if it was recorded before and has not aged out.
    func insert(_ token: [UInt8], now: UInt64) -> Bool {
        table.withLock { t in
            if t.seen.count >= t.pruneAt {
                t.seen = t.seen.filter { now < $0.value + retention }
                t.pruneAt = max(4096, t.seen.count * 2)
            }
            if let first = t.seen[token], now < first + retention { return false }
            t.seen[token] = now
            return true
        }
    }
}
