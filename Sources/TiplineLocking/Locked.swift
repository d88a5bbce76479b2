import Glibc

/// A value behind a pthread mutex: the one lock type Tipline uses.
///
/// Why not `Synchronization.Mutex`: on Linux its contended path waits on a
/// futex inside the uninstrumented Swift runtime, so ThreadSanitizer never
/// sees that the lock orders the two accesses and reports a "Swift access
/// race" on every contended `withLock`. A correct 4-thread program using
/// `Mutex` gets that report, and the same program using a pthread mutex
/// (which TSan intercepts) runs clean. With a lock TSan can see, a TSan
/// report means a real race, and `make tsan` can fail on any report.
///
/// The mutex lives in its own allocation because a `pthread_mutex_t` must
/// never move, and a Swift stored property has no fixed address.
public final class Locked<Value>: @unchecked Sendable {
    // @unchecked: `value` is only touched inside `withLock`, under the mutex.
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline var value: Value

    public init(_ value: Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
        self.value = value
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the value while holding the lock. Inlinable so that
    /// the closure is inlined into its caller rather than called out of line
    /// (see scripts/compiler-bugs/README.md for why that matters for
    /// closures of a throwing type).
    @inlinable
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
