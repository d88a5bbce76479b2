/// The server against both baselines at one client count.
struct Comparison: Codable, Sendable {
    /// What the server's design set out to reach: group commit should make
    /// it at least 20 times as fast as one fsync per row once 64 clients
    /// wait, and keep at least 70 % of what batching alone reaches.
    static let perRowAim = 20.0
    static let perRowAimClients = 64
    static let batchedAim = 0.7

    let clients: Int
    /// Server rows/s ÷ baseline rows/s: above 1 the server is faster.
    let overPerRow: Double
    let overBatched: Double
    /// Server p99 ÷ baseline p99: below 1 the server answers sooner.
    let p99OverPerRow: Double?
    let p99OverBatched: Double?

    init?(server: SideResult, perRow: SideResult, batched: SideResult) {
        guard perRow.rowsPerSecond > 0, batched.rowsPerSecond > 0 else { return nil }
        clients = server.clients
        overPerRow = server.rowsPerSecond / perRow.rowsPerSecond
        overBatched = server.rowsPerSecond / batched.rowsPerSecond
        func ratio(_ a: Double?, _ b: Double?) -> Double? {
            guard let a, let b, b > 0 else { return nil }
            return a / b
        }
        p99OverPerRow = ratio(server.p99Micros, perRow.p99Micros)
        p99OverBatched = ratio(server.p99Micros, batched.p99Micros)
    }

    /// nil where the aim does not apply (the per-row aim is set at 64 clients).
    var meetsPerRowAim: Bool? { clients == Self.perRowAimClients ? overPerRow >= Self.perRowAim : nil }
    var meetsBatchedAim: Bool { overBatched >= Self.batchedAim }
}
