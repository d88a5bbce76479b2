import GRDB

/// A queued write and the caller waiting for it.
///
/// `@unchecked Sendable`: `outcome` is written and read only on the writer's
/// queue; the job reaches that queue through the writer's lock, which orders
/// the hand-over.
final class PendingWrite<Value: Sendable>: WriteJob, @unchecked Sendable {
    private let work: @Sendable (Database) throws -> Value
    private let continuation: CheckedContinuation<Value, any Error>
    private var outcome: Result<Value, any Error>?

    init(_ work: @escaping @Sendable (Database) throws -> Value, continuation: CheckedContinuation<Value, any Error>) {
        self.work = work
        self.continuation = continuation
    }

    func perform(_ db: Database) -> Bool {
        do {
            outcome = .success(try work(db))
            return true
        } catch {
            outcome = .failure(error)
            return false
        }
    }

    func performIsolated(_ db: Database) {
        do {
            var value: Value?
            try db.inSavepoint {
                value = try work(db)
                return .commit
            }
            outcome = value.map { .success($0) } ?? .failure(StoreError.writeNotRun)
        } catch {
            outcome = .failure(error)
        }
    }

    func resume(commitError: (any Error)?) {
        if let commitError {
            continuation.resume(throwing: commitError)
        } else {
            continuation.resume(with: outcome ?? .failure(StoreError.writeNotRun))
        }
    }
}
