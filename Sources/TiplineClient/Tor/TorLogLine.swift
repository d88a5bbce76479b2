import Foundation

/// One line of a `tor`'s log (`Log notice stdout`), as far as a private Tor
/// needs to understand it:
///
///     Dec 03 16:05:22.590 [notice] Opened Socks listener connection (ready) on 127.0.0.1:34853
///     Dec 03 16:05:23.000 [notice] Bootstrapped 5% (conn): Connecting to a relay
///     Dec 03 16:07:38.834 [warn] Failed to parse/validate config: Unknown option 'Bogus'.  Failing.
///
/// A timestamp, the severity in brackets, then the message. Only the
/// message is matched, and only from its start, so no text quoted inside
/// another message (a relay's nickname, a path) can pose as progress.
public enum TorLogLine: Sendable, Equatable {
    /// Bootstrap progress.
    case bootstrap(TorBootstrap)
    /// The SOCKS port is open on this port (asked for as `auto`, so only the log tells which).
    case socksListener(port: Int)
    /// A `[warn]` or `[err]` message: why Tor stopped, when it does.
    case problem(String)
    /// Anything else.
    case other

    public init(_ line: some StringProtocol) {
        let line = Substring(line)
        guard let open = line.firstIndex(of: "["), let close = line[open...].firstIndex(of: "]") else {
            self = .other
            return
        }
        let severity = line[line.index(after: open)..<close]
        let message = line[line.index(after: close)...].drop(while: { $0 == " " })
        if let progress = TorBootstrap(message: message) {
            self = .bootstrap(progress)
        } else if let port = Self.listenerPort(message) {
            self = .socksListener(port: port)
        } else if severity == "warn" || severity == "err" {
            self = .problem(String(message))
        } else {
            self = .other
        }
    }

    /// The port of `Opened Socks listener connection (ready) on 127.0.0.1:34853`
    /// (tor 0.4; 0.3 wrote `Opened Socks listener on 127.0.0.1:34853`). The
    /// earlier `Opening Socks listener on 127.0.0.1:0` is not it.
    private static func listenerPort(_ message: Substring) -> Int? {
        guard message.hasPrefix("Opened Socks listener"), let on = message.range(of: " on ", options: .backwards) else {
            return nil
        }
        let address = message[on.upperBound...].trimmingCharacters(in: .whitespaces)
        guard let colon = address.lastIndex(of: ":") else { return nil }
        let digits = address[address.index(after: colon)...]
        guard (1...5).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(digits), (1...65535).contains(port) else { return nil }
        return port
    }
}
