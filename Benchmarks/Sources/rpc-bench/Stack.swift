/// The two RPC stacks being compared. The raw value is what `--serve` takes
/// and what `--json` reports.
enum Stack: String, Sendable, Codable, CaseIterable {
    case tipline
    case grpc

    var displayName: String {
        switch self {
        case .tipline: "Tipline"
        case .grpc: "gRPC"
        }
    }
}
