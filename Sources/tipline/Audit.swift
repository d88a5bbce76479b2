import ArgumentParser
import Foundation
import TiplineAudit
import TiplineClient
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
            envelopes well formed, recipients, padding buckets, records match the audit
            log, db chain vs server. Always: the crypto inventory, and each --keystore's
            Argon2id parameters (below MODERATE fails). No passphrase is needed.

            Exit status: 0 every check holds, 1 a check failed, 2 usage error,
            3 the server could not be reached.

            Examples:
              tipline audit --server 127.0.0.1:7040 --org 1B6X-4F2R-QZ7M-0K9D-TW3H-8N5C-PAV2-GE61
              tipline audit --server 127.0.0.1:7040 --org 1B6X-4F2R-QZ7M-0K9D-TW3H-8N5C-PAV2-GE61 \\
                  --db /var/lib/tipline/tipline.sqlite --keystore /var/lib/tipline/server.keystore
              tipline audit --server 127.0.0.1:7040 --org 1B6X-4F2R-QZ7M-0K9D-TW3H-8N5C-PAV2-GE61 --json | jq .passed
            """)

    @Option(help: "The server to audit, HOST:PORT ([IPv6]:PORT for an IPv6 address).")
    var server: String

    @Option(help: "The organisation fingerprint you trust, obtained out of band (ABCD-EFGH-…).")
    var org: String

    @Option(help: "The server's tipline.sqlite, or a copy: opened read-only, never changed.")
    var db: String?

    @Option(name: .customLong("keystore"), help: "A keystore file whose Argon2id parameters to report (repeatable).")
    var keystores: [String] = []

    @Flag(help: "Print the report as JSON instead of a table.")
    var json = false

    func validate() throws {
        guard parseEndpoint(server) != nil else { throw ValidationError("--server must be HOST:PORT, got '\(server)'") }
        do { _ = try Fingerprint(parsing: org) } catch { throw ValidationError("--org: \(error)") }
    }

    func run() async throws {
        guard let endpoint = parseEndpoint(server) else { throw ValidationError("--server must be HOST:PORT") }
        let pinned = try Fingerprint(parsing: org)
        let connection: TiplineConnection
        do { connection = try await TiplineConnection.connect(host: endpoint.host, port: endpoint.port) } catch {
            writeError("tipline audit: could not reach \(server): \(error)")
            throw ExitCode(3)
        }
        let report: AuditReport
        do {
            report = try await Auditor(connection: connection, organisation: pinned, databasePath: db, keystorePaths: keystores).run()
        } catch {
            await connection.close()
            writeError("tipline audit: \(server): \(error)")
            throw ExitCode(3)
        }
        await connection.close()
        if json {
            FileHandle.standardOutput.write(try report.json() + Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data("tipline audit of \(server) for organisation \(pinned)\n\n\(report.table())".utf8))
        }
        if !report.passed { throw ExitCode(1) }
    }
}

/// `HOST:PORT` or `[IPv6]:PORT`, with a port from 1 to 65535.
private func parseEndpoint(_ text: String) -> (host: String, port: Int)? {
    let host: Substring, port: Substring
    if text.hasPrefix("[") {
        guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
        host = text[text.index(after: text.startIndex)..<close]
        port = text[text.index(close, offsetBy: 2)...]
    } else {
        guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
        host = text[..<colon]
        port = text[text.index(after: colon)...]
    }
    guard !host.isEmpty, let number = Int(port), (1...65535).contains(number) else { return nil }
    return (String(host), number)
}

/// Diagnostics go to stderr, so that stdout holds only the report.
private func writeError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
