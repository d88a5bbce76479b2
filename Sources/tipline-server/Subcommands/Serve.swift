import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TiplineCommandLine
import TiplineCrypto
import TiplineRPC
import TiplineServer

extension TiplineServerCommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve tips until SIGTERM or SIGINT, then drain calls in flight and stop.",
            discussion: """
                Settings come from the data directory's config.json (or --config).
                Environment variables override the file, and flags override both:
                  TIPLINE_DATA_DIR  TIPLINE_LISTEN  TIPLINE_CONFIG  TIPLINE_LOG_LEVEL
                  TIPLINE_TLS_CERT  TIPLINE_TLS_KEY
                  TIPLINE_PASSPHRASE_FILE  TIPLINE_PASSPHRASE

                Example:
                  tipline-server serve --data-dir ./data --listen 127.0.0.1:7040
                """)

        @Option(help: "The data directory made by `init` (or TIPLINE_DATA_DIR).")
        var dataDir: String?

        @Option(help: "HOST:PORT to listen on (port 0 picks a free one; the bound address is printed).")
        var listen: String?

        @Option(help: "Use this configuration file instead of DATA-DIR/config.json.")
        var config: String?

        @Option(help: "TLS certificate chain (PEM). Not needed behind a Tor onion service.")
        var tlsCert: String?

        @Option(help: "TLS private key (PEM).")
        var tlsKey: String?

        @Option(help: "Log level: error, warning, info, debug (or TIPLINE_LOG_LEVEL; default info).")
        var logLevel: String?

        @OptionGroup var passphrase: PassphraseOptions

        /// A flag, else its environment variable.
        static func setting(_ flag: String?, _ variable: String) -> String? {
            flag ?? ProcessInfo.processInfo.environment[variable]
        }

        var resolvedDataDir: String? { Self.setting(dataDir, "TIPLINE_DATA_DIR") }
        var resolvedLogLevel: String { Self.setting(logLevel, "TIPLINE_LOG_LEVEL") ?? "info" }

        func validate() throws {
            guard resolvedDataDir != nil else { throw ValidationError("give --data-dir or set TIPLINE_DATA_DIR") }
            let cert = Self.setting(tlsCert, "TIPLINE_TLS_CERT"), key = Self.setting(tlsKey, "TIPLINE_TLS_KEY")
            if (cert == nil) != (key == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
            guard Logger.Level(rawValue: resolvedLogLevel) != nil else { throw ValidationError("unknown log level \(resolvedLogLevel)") }
        }

        func run() async throws {
            let level = Logger.Level(rawValue: resolvedLogLevel) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            let logger = Logger(label: "tipline.server")
            let directory = ServerDataDirectory(path: resolvedDataDir ?? "")
            let settings = try directory.settings(override: Self.setting(config, "TIPLINE_CONFIG"))
            let secret = try passphrase.passphrase(prompt: "Passphrase for the server keystore: ")
            let (identity, powKey) = try directory.unlock(passphrase: secret)
            var tls: ServerTLS?
            if let cert = Self.setting(tlsCert, "TIPLINE_TLS_CERT"), let key = Self.setting(tlsKey, "TIPLINE_TLS_KEY") {
                tls = try ServerTLS(certificateChainFile: cert, privateKeyFile: key)
            }
            let server = try await TipServer.start(directory: directory, settings: settings, identity: identity, powKey: powKey,
                                                   listen: Self.setting(listen, "TIPLINE_LISTEN"), tls: tls, logger: logger)
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
