import NIOCore
import NIOSOCKS

/// A SOCKS5 proxy (RFC 1928) that the client reaches the server through,
/// above all Tor's. The server's host name always goes to the proxy
/// unresolved, whether the URL said `socks5` or `socks5h`: a local DNS lookup
/// would tell the local network which server the tipster is reaching, and an
/// `.onion` name resolves nowhere but inside Tor.
public struct SOCKSProxy: Hashable, Sendable, CustomStringConvertible {
    /// The proxy's host name or IP address (an IPv6 address without brackets).
    /// Unlike the server's name, this one is resolved locally: it is usually
    /// 127.0.0.1.
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `socks5://HOST:PORT` or `socks5h://HOST:PORT`, with an IPv6
    /// host in brackets (`socks5h://[::1]:9050`) and at most a trailing `/`.
    public init(url: String) throws(SOCKSProxyURLError) {
        guard let separator = url.firstRange(of: "://") else { throw .missingScheme }
        let scheme = url[..<separator.lowerBound]
        guard ["socks5", "socks5h"].contains(scheme.lowercased()) else { throw .unsupportedScheme(String(scheme)) }

        var rest = url[separator.upperBound...]
        let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        let suffix = rest[authorityEnd...]
        rest = rest[..<authorityEnd]
        if rest.contains("@") { throw .credentialsNotSupported }
        guard suffix.isEmpty || suffix == "/" else { throw .unexpectedSuffix(String(suffix)) }
        guard !rest.isEmpty else { throw .missingHost }

        let host: Substring
        let portText: Substring
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]") else { throw .invalidHost(String(rest)) }
            host = rest[rest.index(after: rest.startIndex)..<close]
            guard case .v6 = try? SocketAddress(ipAddress: String(host), port: 0) else { throw .invalidHost(String(host)) }
            let afterHost = rest[rest.index(after: close)...]
            guard !afterHost.isEmpty else { throw .missingPort }
            guard afterHost.first == ":" else { throw .invalidHost(String(rest)) }
            portText = afterHost.dropFirst()
        } else {
            guard let colon = rest.lastIndex(of: ":") else { throw .missingPort }
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
            guard !host.isEmpty else { throw .missingHost }
            guard Self.isHostName(host) else { throw .invalidHost(String(host)) }
        }
        guard !portText.isEmpty else { throw .missingPort }
        guard portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(portText), (1...65535).contains(port) else { throw .invalidPort(String(portText)) }
        self.init(host: String(host), port: port)
    }

    public var description: String {
        host.contains(":") ? "socks5h://[\(host)]:\(port)" : "socks5h://\(host):\(port)"
    }

    /// Letters, digits, `-`, `_` and dots: host names and IPv4 addresses. An
    /// unbracketed `:` is refused here because `::1:9050` has no single reading.
    private static func isHostName(_ host: Substring) -> Bool {
        host.utf8.count <= 255 && host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    /// How the client names the server to the proxy. A host name goes as a
    /// domain, never resolved here; an IP literal goes as an address, which
    /// reveals nothing a lookup could.
    static func target(host: String, port: Int) throws -> SOCKSAddress {
        // NIOSOCKS writes the port as UInt16 and the name's length as UInt8,
        // and traps on anything larger.
        guard (1...65535).contains(port) else { throw RPCError(.invalidArgument, "a port is a number from 1 to 65535") }
        if let address = try? SocketAddress(ipAddress: host, port: port) { return .address(address) }
        guard (1...255).contains(host.utf8.count) else {
            throw RPCError(.invalidArgument, "a host name sent to a SOCKS proxy has 1 to 255 bytes")
        }
        return .domain(host, port: port)
    }
}
