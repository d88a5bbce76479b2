import Foundation
import Logging
import TiplineClient
import TiplineCrypto
import TiplineRPC
import TiplineServer
import TiplineStore

/// The `--serve DIR` mode: this same executable, started by ``ServerProcess``,
/// runs the real tip service and nothing else, so that the parent can read
/// the server's own memory and CPU time from /proc/PID without the load
/// generator's mixed in.
///
/// It is built as the tests build it (Tests/TiplineServerTests/ServiceFixture):
/// `TipStore` on a file in DIR, `TipService` with fresh organisation, server
/// and proof-of-work keys, and `RPCServer` on 127.0.0.1 with an ephemeral
/// port and the default limits. Not the `tipline-server` executable, which
/// needs a passphrase-protected keystore; what runs per request is the same.
///
/// Protocol with the parent, one line each way:
/// - the child writes `port N`, then `bundle HEX` (the signed bundle it
///   published, so that the parent can seal envelopes to it);
/// - on a `stats` line on its standard input it answers
///   `stats COMMITS WRITES` (the store's group-commit counters);
/// - at end-of-file on standard input it exits. The parent closes that pipe
///   to stop it, and if the parent dies the kernel closes it, so a crashed
///   benchmark leaves no server behind.
enum ServerChild {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The lowest difficulty the protocol allows: every counter solves it,
    /// so the client does one hash, while the server still does all of its
    /// checks (tag, purpose, time, work, replay).
    static let proofOfWorkDifficulty: UInt8 = 0

    static func run(directory: String) async throws {
        // Standard output carries the protocol; logs go to standard error,
        // as tipline-server's do. Warnings only: the service logs nothing per
        // request at info level anyway, only the bundle publication.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }

        let organisation = SigningKeyPair()
        let identity = SigningKeyPair()
        // With the server's key, as tipline-server opens it: every commit
        // also stores the audit chain's new head, signed.
        let store = try TipStore(path: directory + "/tipline.sqlite", headKey: identity)
        var configuration = TipServiceConfiguration(organisation: Fingerprint(organisationKey: organisation.publicKey))
        configuration.proofOfWorkDifficulty = proofOfWorkDifficulty
        let service = try TipService(store: store, configuration: configuration, identity: identity,
                                     powKey: SecureBytes(randomCount: ProofOfWorkIssuer.keyByteCount),
                                     clock: { WallClock.now() })
        let server = try await RPCServer.start(host: "127.0.0.1", port: 0, methods: service.methods())

        // Published through the RPC interface, as an administrator would.
        let signed = try BenchBundle.make(organisation: organisation, server: identity.publicKey)
        let admin = try await TiplineConnection.connect(host: "127.0.0.1", port: server.port)
        _ = try await admin.publishBundle(signed)
        await admin.close()

        say("port \(server.port)")
        say("bundle \(Hex.encode(signed.encoded))")
        answerCommands(store: store)
        await server.waitUntilClosed()
    }

    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// A plain thread, not a task: a blocking read on one of the two
    /// cooperative threads would take half the server's handler capacity.
    private static func answerCommands(store: TipStore) {
        Thread {
            while let line = readLine() {
                guard line == "stats" else { continue }
                let counts = store.commitStatistics()
                say("stats \(counts.commits) \(counts.writes)")
            }
            exit(0)
        }.start()
    }
}
