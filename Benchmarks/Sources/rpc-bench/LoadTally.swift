/// What one client task saw during a case. Each task fills its own tally, so
/// recording a call takes no lock; ``LoadGenerator`` merges them at the end.
struct LoadTally: Sendable {
    /// Calls that completed inside the measuring window, whenever they started.
    var completed = 0
    /// Latencies in nanoseconds of the calls that started and ended inside
    /// the window.
    var latencies: [Int64] = []
    var errors = 0
    var firstError: String?

    mutating func merge(_ other: LoadTally) {
        completed += other.completed
        latencies += other.latencies
        errors += other.errors
        if firstError == nil { firstError = other.firstError }
    }
}
