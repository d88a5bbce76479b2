import GRDB

/// What the group-commit writer runs around every transaction's writes:
/// `prepare` before them (its result is handed to `finish`), `finish` after
/// them. Either throwing rolls the whole transaction back.
struct CommitHooks: Sendable {
    let prepare: @Sendable (Database) throws -> Int64
    let finish: @Sendable (Database, Int64) throws -> Void
}
