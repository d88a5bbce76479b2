import Dispatch

/// The bridge from libFuzzer's synchronous per-input callback (on the main
/// thread) to the harnesses' async code, shared by `tipline-fuzz` and
/// `tipline-fuzz-service`.
public enum FuzzBlocking {
    /// Runs `body` as a task and waits for it. It blocks its thread, so call
    /// it only from a thread that is not one of Swift concurrency's (the
    /// main thread in a fuzz driver), never from async code.
    public static func run(_ body: @escaping @Sendable () async -> Void) {
        let done = DispatchSemaphore(value: 0)
        Task {
            await body()
            done.signal()
        }
        done.wait()
    }
}
