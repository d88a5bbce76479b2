/// The timing of one measurement: untimed warm-up, then the measuring
/// window. Throughput counts the operations that complete inside the window,
/// which is unbiased whatever was in flight at its edges; latency is
/// recorded for the operations that start and end inside it.
struct Window: Sendable {
    let start: ContinuousClock.Instant
    let end: ContinuousClock.Instant

    /// A window that opens `warmup` from now and lasts `duration`.
    init(warmup: Duration, duration: Duration, clock: ContinuousClock = ContinuousClock()) {
        start = clock.now + warmup
        end = start + duration
    }

    var seconds: Double { Self.seconds(end - start) }

    func counts(finished: ContinuousClock.Instant) -> Bool { finished >= start && finished <= end }

    func times(started: ContinuousClock.Instant, finished: ContinuousClock.Instant) -> Bool {
        started >= start && finished <= end
    }

    static func nanoseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
