import GRDB
import Synchronization

/// The store's single writer. Writes that arrive while a transaction is
/// being committed wait and then go together into the next one: one fsync
/// for the whole group instead of one each. Each write runs in its own
/// savepoint, so one failing write does not undo the others, and each caller
/// is resumed only after the transaction holding its write has committed
/// durably (`synchronous = FULL`).
actor GroupCommitWriter {
    typealias Resumer = @Sendable ((any Error)?) -> Void

    /// One queued write. `run` performs it inside the transaction and returns
    /// what resumes its caller once the commit's outcome is known; `fail`
    /// resumes a caller whose write never ran.
    struct Job: Sendable {
        let run: @Sendable (Database) -> Resumer
        let fail: Resumer
    }

    /// Collects the resumers inside the write closure so they survive a
    /// failed commit.
    final class Collected: Sendable {
        let resumers = Mutex<[Resumer]>([])
    }

    private let pool: DatabasePool
    /// Run first and last in every group transaction (the store checks the
    /// chain it is about to extend and signs the new audit head, so head and
    /// entries commit together).
    private let hooks: CommitHooks?
    private var queue: [Job] = []
    private var draining = false
    /// Transactions committed, and the writes they carried.
    private(set) var commits = 0
    private(set) var writes = 0

    init(pool: DatabasePool, hooks: CommitHooks? = nil) {
        self.pool = pool
        self.hooks = hooks
    }

    /// Runs `work` in the next group transaction; returns after it is durable.
    func submit<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let run: @Sendable (Database) -> Resumer = { db in
                let outcome: Result<T, any Error>
                do {
                    var value: T?
                    try db.inSavepoint {
                        value = try work(db)
                        return .commit
                    }
                    outcome = .success(value!)
                } catch {
                    outcome = .failure(error)
                }
                return { commitError in
                    if let commitError {
                        continuation.resume(throwing: commitError)
                    } else {
                        continuation.resume(with: outcome)
                    }
                }
            }
            queue.append(Job(run: run, fail: { error in continuation.resume(throwing: error ?? CancellationError()) }))
            if !draining {
                draining = true
                // An unstructured task: a caller's cancellation must never
                // abandon a batch that carries other callers' writes.
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            let collected = Collected()
            do {
                let hooks = self.hooks
                try await pool.write { db in
                    let before = try hooks?.prepare(db)
                    let resumers = batch.map { $0.run(db) }
                    collected.resumers.withLock { $0 = resumers }
                    if let hooks, let before { try hooks.finish(db, before) }
                }
                commits += 1
                writes += batch.count
                for resume in collected.resumers.withLock({ $0 }) { resume(nil) }
            } catch {
                // The transaction did not commit (disk full, I/O error): every
                // write in it failed, and each caller is told so.
                let resumers = collected.resumers.withLock { $0 }
                if resumers.count == batch.count {
                    for resume in resumers { resume(error) }
                } else {
                    for job in batch { job.fail(error) }
                }
            }
        }
        draining = false
    }

    /// (commits, writes) so far.
    func statistics() -> (commits: Int, writes: Int) { (commits, writes) }
}
