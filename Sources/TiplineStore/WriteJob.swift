import GRDB

/// One caller's write waiting in the group-commit writer. Only the writer's
/// queue touches a job once it is queued, so its state needs no lock.
protocol WriteJob: AnyObject, Sendable {
    /// Runs the write in the current transaction, without a savepoint.
    /// Returns `false` if it threw; the transaction then holds whatever it
    /// did before throwing, so the writer must roll back.
    func perform(_ db: Database) -> Bool
    /// Runs the write in its own savepoint, so that its failure undoes only
    /// its own changes.
    func performIsolated(_ db: Database)
    /// Resumes the caller once the transaction's fate is known: with the
    /// write's own outcome after a commit, or with `commitError`.
    func resume(commitError: (any Error)?)
}
