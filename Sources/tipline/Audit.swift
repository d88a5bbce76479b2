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

            Exit status: 0 every check holds, 1 a check failed, 2 usage error,
            3 the server could not be reached.

            Examples:
              tipline audit --server 127.0.0.1:7040 --org 1B6X-4F2R-QZ7M-0K9D-TW3H-8N5C-PAV2-GE61
              tipline audit --server 127.0.0.1:7040 --org 1B6X-4F2R-QZ7M-0K9D-TW3H-8N5C-PAV2-GE61 \\
                  --db /var/lib/tipline/tipline.sqlite --keystore /var/lib/tipline/server.key
              tipline audit --server 127.0.0.1:7040 --org 1B6X-4F2R-QZ7M-0K9D-TW3H-8N5C-PAV2-GE61 --json | jq .passed
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The organisation fingerprint you trust, obtained out of band (ABCD-EFGH-…).")
    var org: String

    @Option(help: "The server's tipline.sqlite, or a copy: opened read-only, never changed.")
    var db: String?

    @Option(name: .customLong("keystore"), help: "A keystore file whose Argon2id parameters to report (repeatable).")
    var keystores: [String] = []

    @Flag(help: "Print the report as JSON instead of a table.")
    var json = false

    func validate() throws {
        do { _ = try Fingerprint(parsing: org) } catch { throw ValidationError("--org: \(error)") }
    }

    func run() async throws {
        let server = try self.connection.address().description
        let pinned = try Fingerprint(parsing: org)
        let connection: TiplineConnection
        do { connection = try await self.connection.connect() } catch {
            Console.error("tipline audit: could not reach \(server): \(TerminalText.clean("\(error)"))")
            throw ExitCode(3)
        }
        let report: AuditReport
        do {
            report = try await Auditor(connection: connection, organisation: pinned, databasePath: db, keystorePaths: keystores).run()
        } catch {
            await connection.close()
            Console.error("tipline audit: \(server): \(TerminalText.clean("\(error)"))")
            throw ExitCode(3)
        }
        await connection.close()
        if json {
            Console.output(json: try report.json())
        } else {
            // The report quotes names and records from the server and its store.
            FileHandle.standardOutput.write(Data(TerminalText.clean("tipline audit of \(server) for organisation \(pinned)\n\n\(report.table())").utf8))
        }
        if !report.passed { throw ExitCode(1) }
    }
}
