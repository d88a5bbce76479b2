/// One measured case: one stack, a connection count and an in-flight count.
struct CaseResult: Codable, Sendable {
    let stack: Stack
    let connections: Int
    let inFlight: Int
    /// Calls completed per second of the measuring window.
    let callsPerSecond: Double
    /// Latency percentiles in microseconds, nearest rank; nil with no samples.
    let p50Micros: Double?
    let p99Micros: Double?
    let latencySamples: Int
    let errors: Int
    let firstError: String?
    /// CPU time per completed call, in microseconds, of the server process
    /// and of this (client) process.
    let serverCPUMicrosPerCall: Double?
    let clientCPUMicrosPerCall: Double?
    /// Server resident memory after the case, in KiB: growing from case to
    /// case at a constant number of connections would point to a leak.
    let serverResidentKiB: Int?

    init(stack: Stack, connections: Int, inFlight: Int, sample: LoadGenerator.Sample, serverResidentKiB: Int?) {
        self.stack = stack
        self.connections = connections
        self.inFlight = inFlight
        let tally = sample.tally
        let rate = Double(tally.completed) / sample.seconds
        callsPerSecond = rate
        p50Micros = Self.percentile(0.50, of: tally.latencies)
        p99Micros = Self.percentile(0.99, of: tally.latencies)
        latencySamples = tally.latencies.count
        errors = tally.errors
        firstError = tally.firstError
        func perCall(_ cores: Double?) -> Double? {
            guard let cores, rate > 0 else { return nil }
            return cores / rate * 1e6
        }
        serverCPUMicrosPerCall = perCall(sample.cpu.serverCores)
        clientCPUMicrosPerCall = perCall(sample.cpu.clientCores)
        self.serverResidentKiB = serverResidentKiB
    }

    /// Nearest-rank percentile of sorted nanoseconds, in microseconds.
    static func percentile(_ p: Double, of sorted: [Int64]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return Double(sorted[min(max(rank, 1), sorted.count) - 1]) / 1000
    }
}
