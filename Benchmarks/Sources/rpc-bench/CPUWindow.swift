/// CPU used by the server process and by this (client) process over a case's
/// measuring window, in cores: CPU seconds per wall-clock second. With both on
/// one two-core machine, the two together cannot exceed 2; the split shows
/// where the time goes.
struct CPUWindow: Sendable {
    var serverCores: Double?
    var clientCores: Double?

    /// Sleeps until `start`, reads both CPU clocks, sleeps until `end` and
    /// reads them again. The rate uses the times the readings were actually
    /// taken, so a late wake-up on a busy machine shifts the window but does
    /// not bias the result.
    static func measure(server: ProcessProbe, from start: ContinuousClock.Instant,
                        to end: ContinuousClock.Instant) async -> CPUWindow {
        let clock = ContinuousClock()
        try? await Task.sleep(until: start, clock: clock)
        let t0 = clock.now
        let server0 = server.cpuSeconds(), client0 = ProcessProbe.current.cpuSeconds()
        try? await Task.sleep(until: end, clock: clock)
        let t1 = clock.now
        let server1 = server.cpuSeconds(), client1 = ProcessProbe.current.cpuSeconds()
        let wall = LoadGenerator.seconds(t1 - t0)
        func rate(_ a: Double?, _ b: Double?) -> Double? {
            guard let a, let b, wall > 0 else { return nil }
            return (b - a) / wall
        }
        return CPUWindow(serverCores: rate(server0, server1), clientCores: rate(client0, client1))
    }
}
