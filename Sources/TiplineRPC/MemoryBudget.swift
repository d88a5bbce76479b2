import Synchronization

/// A limit on bytes held in memory, shared by everything charged to it:
/// one per call, one per connection, one for the whole server
/// (PROTOCOL.md §12, SECURITY.md §1.9).
///
/// What counts is what the server holds on a peer's behalf: bytes of a frame
/// still arriving, request messages a handler has not taken yet, requests
/// whose handler has not finished, and responses not yet handed to the
/// socket. Reserving is all-or-nothing and never blocks, so a peer that asks
/// for more than is left gets a refusal at once instead of a queue.
public final class MemoryBudget: Sendable {
    /// Which budget refused, for the message the peer gets.
    public let scope: String
    public let limit: Int
    private let used = Atomic<Int>(0)

    public init(scope: String, limit: Int) {
        self.scope = scope
        self.limit = limit
    }

    /// Bytes held now.
    public var bytesInUse: Int { used.load(ordering: .relaxed) }

    /// Takes `count` bytes if they fit under the limit.
    func reserve(_ count: Int) -> Bool {
        guard count > 0 else { return true }
        var current = used.load(ordering: .relaxed)
        while true {
            // `limit - current` rather than `current + count`: no overflow.
            guard count <= limit - current else { return false }
            let (exchanged, original) = used.compareExchange(expected: current, desired: current + count,
                                                             ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }

    func release(_ count: Int) {
        guard count > 0 else { return }
        used.subtract(count, ordering: .relaxed)
    }
}
