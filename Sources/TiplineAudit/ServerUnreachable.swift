/// The server could not be reached, or stopped answering, so nothing it
/// serves could be checked. `tipline audit` exits 3 for it, apart from 1
/// (a check failed): an unreachable server proves nothing either way.
public struct ServerUnreachable: Error, Sendable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { "could not reach the server: \(reason)" }
}
