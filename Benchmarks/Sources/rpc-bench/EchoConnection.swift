/// One client connection of either stack, as the load generator sees it.
/// Calls go through an existential, for both stacks alike; a dynamic call
/// costs nanoseconds against the microseconds of an RPC.
protocol EchoConnection: Sendable {
    func echo(_ request: EchoMethod.Message) async throws -> EchoMethod.Message
    func close() async
}
