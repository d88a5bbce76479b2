import Synchronization

/// Remembers (key, nonce) pairs for as long as their timestamps could still
/// be accepted, so that a captured signed request cannot be sent again.
final class ReplayCache: Sendable {
    private let seen = Mutex<[[UInt8]: UInt64]>([:])
    private let retention: UInt64

    init(retention: UInt64) {
        self.retention = retention
    }

    /// Records `token` at `now`; false if it was recorded before and has not aged out.
    func insert(_ token: [UInt8], now: UInt64) -> Bool {
        seen.withLock { table in
            if table.count > 4096 {
                table = table.filter { now < $0.value + retention }
            }
            if let first = table[token], now < first + retention { return false }
            table[token] = now
            return true
        }
    }
}
