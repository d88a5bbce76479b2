import Glibc
import TiplineClient

/// Every sentence about Tor that `tip` (and `tipline`) show, in one place,
/// so that they can move into the message catalogues with the rest of
/// `tip`'s text.
public enum TorText {
    /// The progress bar's label while Tor connects (in tip's language).
    public static var connecting: String { L("tor.connecting") }

    /// `--tor`, `--tor-path` or `--tor-timeout` together with `--proxy`.
    public static var torAndProxy: String { L("error.torAndProxy") }

    /// `--tor-timeout` out of range.
    public static var timeoutRange: String { L("error.torTimeout") }

    /// One line saying what went wrong and what to do. `timeout` is the
    /// limit that was given; `forOnion`: Tor was started by default, for a
    /// `.onion` server, not because the user asked for it.
    ///
    /// In a language other than English, one plain sentence from the
    /// catalogue; English gets the detail below.
    static func failure(_ error: TorError, timeout: Int, forOnion: Bool) -> String {
        guard Localization.language == .english else {
            return switch error {
            case .notFound: L("tor.missing")
            case .timedOut: L("tor.timeout", ["seconds": "\(timeout)"])
            default: L("tor.failed")
            }
        }
        return switch error {
        case .notFound(nil) where forOnion:
            "a .onion server can be reached only through Tor, which is started for you, but the tor program is not installed. "
                + "Install it (Debian, Ubuntu: sudo apt install tor), or use --proxy socks5://127.0.0.1:9050 with a Tor already running (Tails, Whonix)"
        case .notFound(nil):
            "--tor: the tor program is not installed. Install it (Debian, Ubuntu: sudo apt install tor), or give its path with --tor-path"
        case .notFound(let path?):
            "--tor-path: \(path) is not a program that can be run"
        case .noDataDirectory(let folder, let code):
            "cannot start Tor: cannot make a private folder for it in \(folder) (\(String(cString: strerror(code))))"
        case .cannotStart(let code):
            "cannot start Tor: \(String(cString: strerror(code)))"
        case .exited(let problems):
            problems.isEmpty ? "Tor stopped before it connected" : "Tor stopped before it connected: " + problems.joined(separator: " ")
        case .timedOut(let reached):
            "Tor did not connect within \(timeout) seconds\(reached.map { " (it got to \($0.percent)%)" } ?? ""). "
                + (timeout < 3600 ? "This network may block Tor, or be slow: try again, or allow more time with --tor-timeout \(min(timeout * 2, 3600))"
                                  : "This network may block Tor")
        }
    }
}
