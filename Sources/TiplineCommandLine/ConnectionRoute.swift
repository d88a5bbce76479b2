/// How a tool's connection to the server leaves this device.
public enum ConnectionRoute: Equatable, Sendable {
    /// Straight to the server, which (with the network) sees this device's address.
    case direct
    /// Through a SOCKS5 proxy that is already running, usually Tor: `--proxy` or `$TIPLINE_PROXY`.
    case proxy(url: String)
    /// Through a Tor started for this run (``PrivateTor``): `--tor`, or by
    /// default for a `.onion` server (`byDefault`). `executable` nil: `tor` on PATH.
    case privateTor(executable: String?, timeoutSeconds: Int, byDefault: Bool)

    /// The server sees a Tor exit or onion circuit (or the proxy's address), not this device's.
    public var hidesAddress: Bool { self != .direct }
}
