/// Why a proxy URL was refused by ``SOCKSProxy/init(url:)``.
public enum SOCKSProxyURLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// There is no `://`, so no scheme: a bare `HOST:PORT` could as well
    /// name an HTTP proxy.
    case missingScheme
    /// The scheme (the text before `://`) is not `socks5` or `socks5h`.
    case unsupportedScheme(String)
    /// Nothing between `://` and the port.
    case missingHost
    /// The host is neither a host name nor an IP address; an IPv6 address
    /// must be written in brackets.
    case invalidHost(String)
    /// No `:PORT` after the host.
    case missingPort
    /// The port is not a decimal number from 1 to 65535.
    case invalidPort(String)
    /// The URL carries a user name or password. The client offers the proxy
    /// no authentication, so silently dropping them would connect with other
    /// settings than the ones written.
    case credentialsNotSupported
    /// Something follows the port: a path, a query or a fragment.
    case unexpectedSuffix(String)

    public var description: String {
        switch self {
        case .missingScheme: "the proxy URL has no scheme; write socks5://HOST:PORT or socks5h://HOST:PORT"
        case .unsupportedScheme(let scheme): "the proxy URL scheme \"\(scheme)\" is not socks5 or socks5h"
        case .missingHost: "the proxy URL has no host"
        case .invalidHost(let host): "the proxy URL host \"\(host)\" is not a host name or an IP address"
        case .missingPort: "the proxy URL has no port"
        case .invalidPort(let port): "the proxy URL port \"\(port)\" is not a number from 1 to 65535"
        case .credentialsNotSupported: "the proxy URL has a user name or password, which the client cannot send"
        case .unexpectedSuffix(let suffix): "the proxy URL has \"\(suffix)\" after the port"
        }
    }
}
