import TiplineLocking

/// The bytes one holder (a call's unread requests, a connection's partial
/// frame or unsent responses) keeps in memory, charged at once to its own
/// limit and to each enclosing budget: the connection's and the server's.
///
/// Thread-safe: a call's handler releases what it takes from another thread
/// than the event loop that charged it. Once closed, the account holds
/// nothing and charges nothing more, so a late release after the call ended
/// cannot be counted twice.
final class BufferAccount: Sendable {
    struct State {
        var held = 0
        var closed = false
        /// How many releases so far: the connection's watchdog reads it to
        /// see that a handler is taking messages (progress).
        var releases = 0
    }

    /// The account's own limit ("call"), checked under its lock.
    private let limit: Int
    private let enclosing: [MemoryBudget]
    private let state = Locked(State())
    /// Called (on any thread) when the held bytes fall below `resumeBelow`
    /// from at or above it: the connection may start reading again.
    private let resumeBelow: Int
    private let onDrained: (@Sendable () -> Void)?

    init(limit: Int = .max, enclosing: [MemoryBudget], resumeBelow: Int = .max,
         onDrained: (@Sendable () -> Void)? = nil) {
        self.limit = limit
        self.enclosing = enclosing
        self.resumeBelow = resumeBelow
        self.onDrained = onDrained
    }

    /// Charges `count` more bytes, or returns the scope of the budget that
    /// has no room ("call", "connection", "server") and charges nothing.
    func hold(_ count: Int) -> String? {
        state.withLock { state -> String? in
            guard !state.closed, count > 0 else { return nil }
            guard count <= limit - state.held else { return "call" }
            for (index, budget) in enclosing.enumerated() where !budget.reserve(count) {
                for done in enclosing[..<index] { done.release(count) }
                return budget.scope
            }
            state.held += count
            return nil
        }
    }

    /// Gives back `count` bytes (a handler took a message, a write finished).
    func release(_ count: Int) {
        let drained = state.withLock { state -> Bool in
            guard !state.closed, count > 0 else { return false }
            let amount = min(count, state.held)
            let before = state.held
            state.held -= amount
            state.releases &+= 1
            for budget in enclosing { budget.release(amount) }
            return before >= resumeBelow && state.held < resumeBelow
        }
        if drained { onDrained?() }
    }

    /// Sets the held amount to `count` (a partial frame that grew or was
    /// consumed), or returns the budget that has no room for the growth.
    func adjust(to count: Int) -> String? {
        let current = state.withLock { $0.held }
        if count > current { return hold(count - current) }
        if count < current { release(current - count) }
        return nil
    }

    /// Gives back everything and charges nothing more: the holder is gone.
    func close() {
        state.withLock { state in
            guard !state.closed else { return }
            state.closed = true
            for budget in enclosing { budget.release(state.held) }
            state.held = 0
        }
    }

    var held: Int { state.withLock { $0.held } }
    var releases: Int { state.withLock { $0.releases } }
}
