/// One CONNECT request as the test proxy received it, before any mapping:
/// what the client disclosed to the proxy about where it was going.
public struct SOCKSTarget: Hashable, Sendable, CustomStringConvertible {
    /// How the request named the destination (RFC 1928 §5, ATYP).
    public enum Kind: Hashable, Sendable {
        /// A name for the proxy to resolve (ATYP 0x03).
        case domain
        /// An IPv4 address the client already had (ATYP 0x01).
        case ipv4
        /// An IPv6 address the client already had (ATYP 0x04).
        case ipv6
    }

    public let kind: Kind
    /// The name exactly as sent, or the address in its usual text form.
    public let host: String
    public let port: Int

    public init(kind: Kind, host: String, port: Int) {
        self.kind = kind
        self.host = host
        self.port = port
    }

    public var description: String { "\(kind) \(host) port \(port)" }
}
