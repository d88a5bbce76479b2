import GRDB

/// A queued write and whoever waits for it.
///
/// `@unchecked Sendable`: `outcome` is written on the writer's queue, and
/// read once, afterwards, on its answers queue. The job reaches the writer
/// through the writer's lock and the answers queue through `async`, and both
/// order the hand-over.
final class PendingWrite<Value: Sendable>: WriteJob, @unchecked Sendable {
    private let work: @Sendable (Database) throws -> Value
    private let completion: @Sendable (Result<Value, any Error>) -> Void
    private var outcome: Result<Value, any Error>?

    init(_ work: @escaping @Sendable (Database) throws -> Value,
         completion: @escaping @Sendable (Result<Value, any Error>) -> Void) {
        self.work = work
        self.completion = completion
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
            completion(.failure(commitError))
        } else {
            completion(outcome ?? .failure(StoreError.writeNotRun))
        }
    }
}
