import Glibc

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

    /// True only for a literal address that never leaves this machine: an
    /// IPv4 address in 127.0.0.0/8, `::1`, or `::ffff:127.x.x.x`. Never a
    /// name: `127.attacker.example` and even `localhost` are resolved by a
    /// DNS or hosts lookup that an attacker can answer or observe, so `tip`
    /// treats them as remote (a proxy, or `--direct`).
    public var isLoopback: Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, host, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes == [UInt8](repeating: 0, count: 15) + [1] { return true }
        // An IPv4-mapped loopback address.
        return bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] && bytes[12] == 127
    }

    /// A Tor onion service, which only Tor can reach: `tip` starts one for
    /// it when no proxy is given (``ConnectionOptions``).
    public var isOnion: Bool { host.lowercased().hasSuffix(".onion") }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
