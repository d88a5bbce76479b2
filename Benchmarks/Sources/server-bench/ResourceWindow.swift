/// What the machine spent over a measuring window: CPU time of the server
/// process and of this (benchmark) process, in cores (CPU seconds per
/// wall-clock second), and write requests the data disk completed per second.
///
/// CPU: with both processes on one two-core machine, the two together cannot
/// exceed 2; the split shows where the time goes.
///
/// Disk writes: a commit that waits for fsync has sent its pages to the disk
/// before it returns, so it costs at least one write request. Fewer writes
/// than commits means some commits returned while their data was still only
/// in the page cache, whatever the code claims. (Disk cache flushes would be
/// the direct evidence, but virtual disks often do not count them.) The count
/// is for the whole device: other processes' writes during the window are in
/// it too, which can only raise it.
struct ResourceWindow: Sendable {
    var serverCores: Double?
    var benchCores: Double?
    var diskWritesPerSecond: Double?

    /// Sleeps until `start`, takes the readings, sleeps until `end` and
    /// takes them again. The rates use the times the readings were actually
    /// taken, so a late wake-up on a busy machine shifts the window but does
    /// not bias the result. `server` is nil for the baselines, which run in
    /// this process.
    static func measure(server: ProcessProbe?, disk: DiskStats?, from start: ContinuousClock.Instant,
                        to end: ContinuousClock.Instant) async -> ResourceWindow {
        let clock = ContinuousClock()
        try? await Task.sleep(until: start, clock: clock)
        let t0 = clock.now
        let server0 = server?.cpuSeconds(), bench0 = ProcessProbe.current.cpuSeconds(), writes0 = disk?.writes()
        try? await Task.sleep(until: end, clock: clock)
        let t1 = clock.now
        let server1 = server?.cpuSeconds(), bench1 = ProcessProbe.current.cpuSeconds(), writes1 = disk?.writes()
        let wall = Window.seconds(t1 - t0)
        func rate(_ a: Double?, _ b: Double?) -> Double? {
            guard let a, let b, wall > 0 else { return nil }
            return (b - a) / wall
        }
        return ResourceWindow(serverCores: rate(server0, server1), benchCores: rate(bench0, bench1),
                              diskWritesPerSecond: rate(writes0.map(Double.init), writes1.map(Double.init)))
    }
}
