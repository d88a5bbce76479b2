/// An error with a status, sent to the peer as the call's end. Handlers throw
/// it to fail a call with a chosen code and a message that is safe for the
/// peer to read. Any other error a handler throws becomes `INTERNAL` with a
/// fixed message, so that server internals never reach the network.
public struct RPCError: Error, Equatable, Sendable, CustomStringConvertible {
    public let status: RPCStatus
    public let message: String

    public init(_ status: RPCStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status): \(message)" }
}
