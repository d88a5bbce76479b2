import ArgumentParser
import Foundation
import TiplineAudit
import TiplineClient
import TiplineCommandLine
import TiplineCrypto

/// `tipline audit`: checks a server's encryption setup and tamper-evident
/// history against the organisation fingerprint the auditor trusts.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a Tipline server's bundles, signed audit chain and, given its database, every stored record.",
        discussion: """
            Each check is a row with pass, fail or skip and what it found; every failure
            names the record and the reason. Over RPC: organisation, bundle signature and
            expiry, bundle history, server identity, audit chain. With --db (the server's
            tipline.sqlite or a copy, opened read-only; the live WAL file is fine): stored
            envelopes well formed, envelope formats (how many of each; format 1, which
            does not commit to its content key, fails if stored after format 2),
            recipients, padding buckets, records match the audit log, db chain vs server.
            Always: the crypto inventory, and each --keystore's Argon2id parameters (below
            MODERATE fails). No passphrase is needed. --json adds envelopeFormats, the
            count of stored envelopes by format.

            History since last audit: each run remembers the newest signed head it
            verified for the server (by organisation and server key, in a 0600 file,
            by default $XDG_STATE_HOME/tipline/audit-heads.json), and fails when a later
            run finds the chain shorter than it, or different at it: a history cut off
            together with the heads that covered it. Heads kept elsewhere are checked
            with --expect-head SEQ:HASH (the "head" of --json, or the end of that row).

            Exit status: 0 every check holds, 1 a check failed, 2 usage error,
            3 the server could not be reached.

            Examples:
              tipline audit --server 127.0.0.1:7040 --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613
              tipline audit --server 127.0.0.1:7040 --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613 \\
                  --db /var/lib/tipline/tipline.sqlite --keystore /var/lib/tipline/server.key
              tipline audit --server 127.0.0.1:7040 --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613 \\
                  --json | jq .passed
              tipline audit --server 127.0.0.1:7040 --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613 \\
                  --expect-head 1042:5f0c9e2b7a41d8c3e6f1029a4b7d3c8e1f5a0b6c9d2e7f3a8b1c4d0e9f2a5b7c
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The organisation fingerprint you trust, obtained out of band (1B6-X4F-…).")
    var org: String

    @Option(help: "The server's tipline.sqlite, or a copy: opened read-only, never changed.")
    var db: String?

    @Option(name: .customLong("keystore"), help: "A keystore file whose Argon2id parameters to report (repeatable).")
    var keystores: [String] = []

    @Option(name: .customLong("expect-head"),
            help: ArgumentHelp("A head seen before, kept elsewhere: the chain must have grown from it (repeatable).",
                               valueName: "seq:hash"))
    var expectHeads: [String] = []

    @Option(help: ArgumentHelp("The file of heads remembered between runs (default $XDG_STATE_HOME/tipline/audit-heads.json).",
                               valueName: "file"))
    var heads: String?

    @Flag(help: "Neither compare with nor remember heads from earlier runs.")
    var noRemember = false

    @Flag(help: "Print the report as JSON instead of a table.")
    var json = false

    func validate() throws {
        for head in expectHeads {
            do { _ = try KnownHead(parsing: head) } catch { throw ValidationError("--expect-head \(head): \(error)") }
        }
        if noRemember && heads != nil { throw ValidationError("--heads and --no-remember cannot be given together") }
    }

    func run() async throws {
        // A typo is a usage error (exit 2), caught before connecting; a
        // well-formed fingerprint that is not the server's fails the
        // organisation check (exit 1).
        let pinned = try Fingerprint(typed: org, from: "--org")
        let server = try self.connection.address().description
        var known: KnownHeads?
        if !noRemember {
            do { known = try KnownHeads(path: heads ?? KnownHeads.defaultPath()) } catch {
                Console.error("tipline audit: \(TerminalText.clean("\(error)"))")
                throw ExitCode(2)
            }
        }
        let expected = try expectHeads.map { (head: try KnownHead(parsing: $0), source: "--expect-head \($0)") }
        let connection: TiplineConnection
        do { connection = try await self.connection.connect() } catch {
            Console.error("tipline audit: could not reach \(server): \(TerminalText.clean("\(error)"))")
            throw ExitCode(3)
        }
        let report: AuditReport
        do {
            report = try await Auditor(connection: connection, organisation: pinned, databasePath: db, keystorePaths: keystores,
                                       expectedHeads: expected, knownHeads: known).run()
        } catch {
            await connection.close()
            Console.error("tipline audit: \(server): \(TerminalText.clean("\(error)"))")
            throw ExitCode(3)
        }
        await connection.close()
        // Only a head that continues every head seen before is remembered,
        // and the memory only moves forward: a cut-off history keeps failing.
        if var known, let head = report.head, let serverKey = report.serverKeyId.flatMap({ Hex.decode($0) }).flatMap(KeyId.init(bytes:)) {
            do { try known.remember(head, organisation: pinned, serverKey: serverKey) } catch {
                Console.error("tipline audit: \(TerminalText.clean("\(error)"))")
            }
        }
        if json {
            Console.output(json: try report.json())
        } else {
            // The report quotes names and records from the server and its store.
            FileHandle.standardOutput.write(Data(TerminalText.clean("tipline audit of \(server) for organisation \(pinned)\n\n\(report.table())").utf8))
        }
        if !report.passed { throw ExitCode(1) }
    }
}
