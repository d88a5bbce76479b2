/// What one client task (or the batched writer) saw during a measurement.
/// Each task fills its own tally, so recording a row takes no lock; they are
/// merged at the end.
struct Tally: Sendable {
    /// Rows made durable inside the measuring window, whenever they started.
    var completed = 0
    /// Latencies in nanoseconds of the rows that started and finished inside
    /// the window.
    var latencies: [Int64] = []
    var errors = 0
    var firstError: String?
    /// True if a server client used up its pre-solved submissions before the
    /// window closed: the window then ran below the intended concurrency,
    /// and the measurement is repeated with more.
    var exhausted = false

    mutating func record(started: ContinuousClock.Instant, finished: ContinuousClock.Instant, rows: Int = 1, in window: Window) {
        if window.counts(finished: finished) { completed += rows }
        if window.times(started: started, finished: finished) {
            let latency = Window.nanoseconds(finished - started)
            for _ in 0..<rows { latencies.append(latency) }
        }
    }

    mutating func fail(_ error: any Error) {
        errors += 1
        if firstError == nil { firstError = String(describing: error) }
    }

    mutating func merge(_ other: Tally) {
        completed += other.completed
        latencies += other.latencies
        errors += other.errors
        if firstError == nil { firstError = other.firstError }
        exhausted = exhausted || other.exhausted
    }
}
