import ArgumentParser
import Foundation
import TiplineClient
import TiplineRPC

/// `--server`, and how to reach it: `--proxy`, or `--tor` (with `--tor-path`
/// and `--tor-timeout`), with the environment as fallback (`TIPLINE_SERVER`,
/// `TIPLINE_PROXY`), shared by every command that talks to a server.
public struct ConnectionOptions: ParsableArguments {
    /// How long a private Tor may take to connect when `--tor-timeout` is not given.
    public static let defaultTorTimeout = 180

    @Option(name: .long, help: ArgumentHelp("The server, HOST:PORT (or $TIPLINE_SERVER).", valueName: "host:port"))
    public var server: String?

    @Option(name: .long, help: ArgumentHelp(
        "Connect through this SOCKS5 proxy, e.g. socks5://127.0.0.1:9050 for Tor (or $TIPLINE_PROXY). The proxy resolves host names, .onion included.",
        valueName: "url"))
    public var proxy: String?

    @Flag(name: .long, help: ArgumentHelp(
        "Start a Tor of its own for this run and connect through it; it is stopped and its files removed on exit. The default for a .onion server without --proxy. Needs the tor program (Debian, Ubuntu: apt install tor)."))
    public var tor = false

    @Option(name: .customLong("tor-path"), help: ArgumentHelp("The tor program to start (default: tor on PATH). Implies --tor.", valueName: "file"))
    public var torPath: String?

    @Option(name: .customLong("tor-timeout"), help: ArgumentHelp(
        "Give up if Tor has not connected within this many seconds (default: \(Self.defaultTorTimeout)). Implies --tor.", valueName: "seconds"))
    public var torTimeout: Int?

    public init() {}

    public func validate() throws {
        if proxy != nil && asksForTor { throw ValidationError(TorText.torAndProxy) }
        if let torTimeout, !(1...3600).contains(torTimeout) { throw ValidationError(TorText.timeoutRange) }
    }

    public func address() throws -> ServerAddress {
        guard let text = server ?? ProcessInfo.processInfo.environment["TIPLINE_SERVER"] else {
            throw ToolFailure(.usage, L("error.noServer"), localized: true)
        }
        return try ServerAddress(parsing: text)
    }

    public var proxyURL: String? { proxy ?? ProcessInfo.processInfo.environment["TIPLINE_PROXY"].flatMap { $0.isEmpty ? nil : $0 } }

    /// `--tor`, or an option that only makes sense with it.
    private var asksForTor: Bool { tor || torPath != nil || torTimeout != nil }

    /// How the connection will go. The command line wins over the
    /// environment: `--tor` over `$TIPLINE_PROXY`. A `.onion` server with no
    /// proxy at all gets a private Tor, since nothing else can reach it.
    public func route() throws -> ConnectionRoute {
        let address = try address()
        let timeout = torTimeout ?? Self.defaultTorTimeout
        if asksForTor { return .privateTor(executable: torPath, timeoutSeconds: timeout, byDefault: false) }
        if let proxyURL { return .proxy(url: proxyURL) }
        if address.isOnion { return .privateTor(executable: nil, timeoutSeconds: timeout, byDefault: true) }
        return .direct
    }

    /// These options as given, for a command line printed for the user to
    /// copy (the environment supplies the rest, as it did for this one).
    public var commandWords: [String] {
        var words: [String] = []
        if let server { words += ["--server", Console.shellWord(server)] }
        if let proxy { words += ["--proxy", Console.shellWord(proxy)] }
        if tor { words.append("--tor") }
        if let torPath { words += ["--tor-path", Console.shellWord(torPath)] }
        if let torTimeout { words += ["--tor-timeout", String(torTimeout)] }
        return words
    }

    /// Connects, through the proxy or a private Tor if the route says so.
    public func connect() async throws -> TiplineConnection {
        let address = try address()
        var configuration = ClientConfiguration()
        configuration.connectTimeout = .seconds(60)
        switch try route() {
        case .direct:
            break
        case .proxy(let url):
            do {
                configuration.proxy = try SOCKSProxy(url: url)
            } catch {
                // English keeps the parser's detail; tip's other languages get one plain sentence.
                throw ToolFailure(.usage, Localization.language == .english ? "--proxy: \(error)" : L("error.proxy"), localized: true)
            }
        case .privateTor(let executable, let timeout, let byDefault):
            configuration.proxy = try await PrivateTor.shared.proxy(executable: executable, timeoutSeconds: timeout, byDefault: byDefault)
        }
        return try await TiplineConnection.connect(host: address.host, port: address.port, configuration: configuration)
    }
}
