/// The methods a server answers, by path (`/package.Service/Method`).
/// Services fill it; the server knows nothing about what the methods mean.
public struct MethodTable: Sendable {
    private var handlers: [String: RPCHandler] = [:]

    public init() {}

    public mutating func register(_ path: String, _ handler: RPCHandler) {
        precondition(handlers[path] == nil, "method \(path) registered twice")
        handlers[path] = handler
    }

    public func handler(for path: String) -> RPCHandler? { handlers[path] }

    public var paths: [String] { handlers.keys.sorted() }
}
