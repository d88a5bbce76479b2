import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TiplineCrypto
import TiplineRPC
import TiplineServer

extension TiplineServerCommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve tips until SIGTERM or SIGINT, then drain calls in flight and stop.",
            discussion: """
                Settings come from the data directory's config.json (or --config); flags override them.

                Example:
                  tipline-server serve --data-dir ./data --listen 127.0.0.1:7040
                """)

        @Option(help: "The data directory made by `init`.")
        var dataDir: String

        @Option(help: "HOST:PORT to listen on (port 0 picks a free one; the bound address is printed).")
        var listen: String?

        @Option(help: "Use this configuration file instead of DATA-DIR/config.json.")
        var config: String?

        @Option(help: "TLS certificate chain (PEM). Not needed behind a Tor onion service.")
        var tlsCert: String?

        @Option(help: "TLS private key (PEM).")
        var tlsKey: String?

        @Option(help: "Log level: error, warning, info, debug.")
        var logLevel: String = "info"

        @OptionGroup var passphrase: PassphraseOptions

        func validate() throws {
            if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
            guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        }

        func run() async throws {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = Logger.Level(rawValue: logLevel) ?? .info
                return handler
            }
            let logger = Logger(label: "tipline.server")
            let directory = ServerDataDirectory(path: dataDir)
            let settings = try directory.settings(override: config)
            let secret = try passphrase.passphrase(prompt: "Passphrase for the server keystore: ")
            let (identity, powKey) = try directory.unlock(passphrase: secret)
            let tls = try tlsCert.map { try ServerTLS(certificateChainFile: $0, privateKeyFile: tlsKey!) }
            let server = try await TipServer.start(directory: directory, settings: settings, identity: identity, powKey: powKey,
                                                   listen: listen, tls: tls, logger: logger)
            let bound = server.rpc.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
            // The one line scripts wait for; it names only our own address.
            // Written unbuffered, so a script reading a pipe sees it at once.
            FileHandle.standardOutput.write(Data("listening on \(bound)\n".utf8))
            let group = ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            try await group.run()
            logger.info("stopped")
        }
    }
}
