/// What one side measured at one client count, before it is summarised.
struct Sample: Sendable {
    var tally: Tally
    /// Length of the measuring window.
    var seconds: Double
    var resources: ResourceWindow
    /// Rows per committed transaction: measured from the store's counters
    /// for the server, fixed by construction for the baselines.
    var rowsPerCommit: Double?
    /// The server only: whole submitTip calls per second during the warm-up,
    /// challenge round trip included. For information, never the headline.
    var warmupSubmissionsPerSecond: Double?
}
