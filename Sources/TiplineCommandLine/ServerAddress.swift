/// `HOST:PORT`, with IPv6 literals in brackets (`[::1]:7040`). Host names,
/// `.onion` included, stay names: a proxy resolves them, never this tool.
public struct ServerAddress: Sendable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(parsing text: String) throws {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65535).contains(port)
        else { throw ToolFailure(.usage, "--server must be HOST:PORT, for example 127.0.0.1:7040") }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ToolFailure(.usage, "--server must be HOST:PORT, for example 127.0.0.1:7040") }
        self.host = host
        self.port = port
    }

    /// True for addresses that never leave this machine.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
