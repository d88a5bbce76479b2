/// What is measured: the real server, or one of the two storage baselines.
enum Side: String, Codable, Sendable, CaseIterable {
    case server
    case perRow = "per-row"
    case batched

    var displayName: String {
        switch self {
        case .server: "Tipline server"
        case .perRow: "GRDB, 1 txn/row"
        case .batched: "GRDB, batched"
        }
    }
}
