/// One side at one client count, summarised.
struct SideResult: Codable, Sendable {
    let side: Side
    let clients: Int
    /// Rows made durable per second of the measuring window (for the server,
    /// tips whose SubmitTip call returned).
    let rowsPerSecond: Double
    /// Latency percentiles in microseconds, nearest rank; nil with no samples.
    let p50Micros: Double?
    let p99Micros: Double?
    let latencySamples: Int
    let rowsPerCommit: Double?
    /// CPU time per row, in microseconds, of the server process (server side
    /// only) and of this process (the clients, or the baseline's writer).
    let serverCPUMicrosPerRow: Double?
    let benchCPUMicrosPerRow: Double?
    /// Disk write requests per committed transaction: at least 1 where each
    /// commit waits for fsync; below 1, some commits did not (see ResourceWindow).
    let diskWritesPerCommit: Double?
    let warmupSubmissionsPerSecond: Double?
    let errors: Int
    let firstError: String?

    init(side: Side, clients: Int, sample: Sample) {
        self.side = side
        self.clients = clients
        let tally = sample.tally
        let rate = Double(tally.completed) / sample.seconds
        rowsPerSecond = rate
        p50Micros = Self.percentile(0.50, of: tally.latencies)
        p99Micros = Self.percentile(0.99, of: tally.latencies)
        latencySamples = tally.latencies.count
        rowsPerCommit = sample.rowsPerCommit
        func perRow(_ cores: Double?) -> Double? {
            guard let cores, rate > 0 else { return nil }
            return cores / rate * 1e6
        }
        serverCPUMicrosPerRow = perRow(sample.resources.serverCores)
        benchCPUMicrosPerRow = perRow(sample.resources.benchCores)
        if let writes = sample.resources.diskWritesPerSecond, let rows = sample.rowsPerCommit, rows > 0, rate > 0 {
            diskWritesPerCommit = writes / (rate / rows)
        } else {
            diskWritesPerCommit = nil
        }
        warmupSubmissionsPerSecond = sample.warmupSubmissionsPerSecond
        errors = tally.errors
        firstError = tally.firstError
    }

    /// Nearest-rank percentile of sorted nanoseconds, in microseconds.
    static func percentile(_ p: Double, of sorted: [Int64]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return Double(sorted[min(max(rank, 1), sorted.count) - 1]) / 1000
    }
}
