/// Tipline against gRPC for one connection count and in-flight count.
struct Comparison: Codable, Sendable {
    /// What the Tipline RPC design set out to reach against gRPC.
    static let throughputAim = 2.0
    static let p50Aim = 0.5

    let connections: Int
    let inFlight: Int
    /// Tipline calls/s ÷ gRPC calls/s: above 1 Tipline is faster.
    let throughputRatio: Double
    /// Tipline p50 ÷ gRPC p50: below 1 Tipline answers sooner.
    let p50Ratio: Double?
    let p99Ratio: Double?

    init?(tipline: CaseResult, grpc: CaseResult) {
        guard tipline.connections == grpc.connections, tipline.inFlight == grpc.inFlight, grpc.callsPerSecond > 0 else {
            return nil
        }
        connections = tipline.connections
        inFlight = tipline.inFlight
        throughputRatio = tipline.callsPerSecond / grpc.callsPerSecond
        func ratio(_ a: Double?, _ b: Double?) -> Double? {
            guard let a, let b, b > 0 else { return nil }
            return a / b
        }
        p50Ratio = ratio(tipline.p50Micros, grpc.p50Micros)
        p99Ratio = ratio(tipline.p99Micros, grpc.p99Micros)
    }

    var meetsThroughputAim: Bool { throughputRatio >= Self.throughputAim }
    var meetsP50Aim: Bool { (p50Ratio ?? .infinity) <= Self.p50Aim }
}
