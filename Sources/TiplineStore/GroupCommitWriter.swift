import Dispatch
import GRDB
import TiplineLocking

/// The store's single writer. Writes that arrive while a transaction is
/// being committed wait and then go together into the next one: one fsync
/// for the whole group instead of one each. Each caller is resumed only
/// after the transaction holding its write has committed durably
/// (`synchronous = FULL`).
///
/// One failing write must not undo the others. The writes of a group first
/// run back to back in one transaction, without savepoints: the common case,
/// since the service checks requests before it writes. If any of them
/// throws, that transaction is rolled back and the group runs again with a
/// savepoint around each write, so only the failing write's changes go.
///
/// The writer runs on its own serial dispatch queue and calls GRDB's
/// synchronous `write`, which runs on that same thread: a submission costs
/// one hop to the writer and one resumption back, with no actor and no
/// second queue between them.
final class GroupCommitWriter: Sendable {
    private struct State {
        var pending: [any WriteJob] = []
        var draining = false
        var commits = 0
        var writes = 0
    }

    /// Thrown inside a transaction to roll it back so that the group can run
    /// again with savepoints.
    private struct RetryIsolated: Error {}

    private let pool: DatabasePool
    /// Run first and last in every group transaction (the store checks the
    /// chain it is about to extend and signs the new audit head, so head and
    /// entries commit together).
    private let hooks: CommitHooks?
    private let queue = DispatchQueue(label: "tipline.store.group-commit")
    private let state = Locked(State())

    init(pool: DatabasePool, hooks: CommitHooks? = nil) {
        self.pool = pool
        self.hooks = hooks
    }

    /// Runs `work` in the next group transaction; returns after it is durable.
    /// `work` may run twice (see above), so it must not change anything
    /// outside the database.
    func submit<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = PendingWrite(work, continuation: continuation)
            let start = state.withLock { state in
                state.pending.append(job)
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            // The queue is never blocked waiting for a caller, and a caller's
            // cancellation never abandons a group that carries other writes.
            if start { queue.async { self.drain() } }
        }
    }

    /// Commits groups until nothing is waiting.
    private func drain() {
        while true {
            let batch: [any WriteJob] = state.withLock { state in
                var taken: [any WriteJob] = []
                swap(&taken, &state.pending)
                if taken.isEmpty { state.draining = false }
                return taken
            }
            if batch.isEmpty { return }
            commit(batch)
        }
    }

    private func commit(_ batch: [any WriteJob]) {
        let hooks = self.hooks
        do {
            do {
                try pool.write { db in
                    let before = try hooks?.prepare(db)
                    for job in batch where !job.perform(db) { throw RetryIsolated() }
                    if let hooks, let before { try hooks.finish(db, before) }
                }
            } catch is RetryIsolated {
                try pool.write { db in
                    let before = try hooks?.prepare(db)
                    for job in batch { job.performIsolated(db) }
                    if let hooks, let before { try hooks.finish(db, before) }
                }
            }
        } catch {
            // The transaction did not commit (disk full, I/O error, a hook
            // refused): every write in it failed, and each caller is told so.
            for job in batch { job.resume(commitError: error) }
            return
        }
        state.withLock { state in
            state.commits += 1
            state.writes += batch.count
        }
        for job in batch { job.resume(commitError: nil) }
    }

    /// (commits, writes) so far.
    func statistics() -> (commits: Int, writes: Int) {
        state.withLock { ($0.commits, $0.writes) }
    }
}
