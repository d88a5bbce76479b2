import ArgumentParser
import Foundation
import TiplineClient
import TiplineRPC

/// `--server` and `--proxy`, with the environment as fallback
/// (`TIPLINE_SERVER`, `TIPLINE_PROXY`), shared by every command that talks
/// to a server.
public struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The server, HOST:PORT (or $TIPLINE_SERVER).", valueName: "host:port"))
    public var server: String?

    @Option(name: .long, help: ArgumentHelp(
        "Connect through this SOCKS5 proxy, e.g. socks5://127.0.0.1:9050 for Tor (or $TIPLINE_PROXY). The proxy resolves host names, .onion included.",
        valueName: "url"))
    public var proxy: String?

    public init() {}

    public func address() throws -> ServerAddress {
        guard let text = server ?? ProcessInfo.processInfo.environment["TIPLINE_SERVER"] else {
            throw ToolFailure(.usage, "say which server: --server HOST:PORT (or set TIPLINE_SERVER)")
        }
        return try ServerAddress(parsing: text)
    }

    public var proxyURL: String? { proxy ?? ProcessInfo.processInfo.environment["TIPLINE_PROXY"].flatMap { $0.isEmpty ? nil : $0 } }

    /// Connects, through the proxy if one is set.
    public func connect() async throws -> TiplineConnection {
        let address = try address()
        var configuration = ClientConfiguration()
        configuration.connectTimeout = .seconds(60)
        if let proxyURL {
            do {
                configuration.proxy = try SOCKSProxy(url: proxyURL)
            } catch {
                throw ToolFailure(.usage, "--proxy: \(error)")
            }
        }
        return try await TiplineConnection.connect(host: address.host, port: address.port, configuration: configuration)
    }
}
