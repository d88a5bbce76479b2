/// How the harnesses wait for handler tasks between polls.
///
/// `Task.sleep` for 50 µs costs about a millisecond on Linux (timer slack
/// and the hop back), which held the frame target near 100 inputs/s. A
/// handler that is ready to run needs only the thread, so the first polls
/// yield it; only a wait that lasts (a store write's fsync) sleeps.
public enum FuzzPause {
    public static func brief(round: Int = 0) async {
        if round < 64 {
            await Task.yield()
        } else {
            try? await Task.sleep(for: .microseconds(50))
        }
    }
}
