import Foundation
import GRDB
import Testing
import TiplineAudit
import TiplineCrypto
import TiplineRPC

/// The built `tipline audit`, driven as an auditor would, for its output
/// and its exit status: 0 all pass, 1 a check failed, 2 usage, 3 unreachable.
@Suite(.serialized) struct AuditCommandTests {
    static var binary: String {
        // The test bundle sits in the same build folder as the executables.
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tipline").path
    }

    /// Runs `tipline` with `arguments`; returns its status, stdout and stderr.
    /// Waits without blocking a thread: the server under test answers on
    /// the same process's cooperative pool.
    func tipline(_ arguments: [String], in directory: String) async throws -> (status: Int32, out: String, err: String) {
        let outPath = directory + "/out-\(UUID().uuidString)", errPath = directory + "/err-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        // Remembered audit heads go to the test's folder, never the user's.
        process.environment = ProcessInfo.processInfo.environment.merging(["XDG_STATE_HOME": directory + "/state"]) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return (status, try String(contentsOfFile: outPath, encoding: .utf8), try String(contentsOfFile: errPath, encoding: .utf8))
    }

    @Test func exitStatusesAndOutput() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        _ = try await f.makeHistory()
        let server = "127.0.0.1:\(f.server.port)"
        let org = f.fingerprint.description

        // 0: every check holds; the JSON is the report.
        let passing = try await tipline(["audit", "--server", server, "--org", org, "--db", f.databasePath, "--json"], in: f.directory)
        #expect(passing.status == 0, "\(passing.out)\(passing.err)")
        let report = try JSONDecoder().decode(AuditReport.self, from: Data(passing.out.utf8))
        #expect(report.passed)
        #expect(report.checks.count == AuditCheck.allCases.count - 1)
        #expect(report.envelopeFormats == ["2": 7])
        #expect(passing.out.contains(#""envelopeFormats" : {"#), "\(passing.out)")

        // The table, for people.
        let table = try await tipline(["audit", "--server", server, "--org", org.lowercased()], in: f.directory)
        #expect(table.status == 0, "\(table.out)\(table.err)")
        #expect(table.out.hasPrefix("tipline audit of \(server) for organisation \(org)"))
        #expect(table.out.contains("organisation "))
        // The JSON run remembered the head, so this run checks the history from it.
        #expect(table.out.contains("PASSED: 8 passed, 0 failed, 7 skipped"), "\(table.out)")
        #expect(table.out.split(separator: "\n").contains { $0.hasPrefix("history since last audit") && $0.contains(" PASS ") },
                "\(table.out)")
        let remembered = f.directory + "/state/tipline/audit-heads.json"
        #expect((try FileManager.default.attributesOfItem(atPath: remembered)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: f.directory + "/state/tipline")[.posixPermissions] as? NSNumber)?
            .intValue == 0o700)

        // The end of the history cut off, with the heads that covered it:
        // the server itself looks whole, but the remembered head is gone.
        try f.tamper(f.databasePath) { db in
            let newest = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM audit") ?? 0
            for table in ["event", "audit", "audit_head"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE seq > ?", arguments: [newest - 3])
            }
        }
        let cut = try await tipline(["audit", "--server", server, "--org", org], in: f.directory)
        #expect(cut.status == 1, "\(cut.out)\(cut.err)")
        #expect(cut.out.contains("its end was cut off"), "\(cut.out)")
        // Without the memory the audit would pass: that was the finding.
        let forgetful = try await tipline(["audit", "--server", server, "--org", org, "--no-remember"], in: f.directory)
        #expect(forgetful.status == 0, "\(forgetful.out)")
        // The memory did not move back: the next run fails again.
        #expect(try await tipline(["audit", "--server", server, "--org", org], in: f.directory).status == 1)
        // A malformed --expect-head is a usage error.
        #expect(try await tipline(["audit", "--server", server, "--org", org, "--expect-head", "12:abc"], in: f.directory).status == 2)

        // 1: a check failed (another organisation pinned).
        let stranger = Fingerprint(organisationKey: SigningKeyPair().publicKey).description
        let failed = try await tipline(["audit", "--server", server, "--org", stranger], in: f.directory)
        #expect(failed.status == 1)
        #expect(failed.out.contains("FAILED"))

        // 2: usage errors, from ArgumentParser and from our own validation.
        for arguments in [["audit", "--org", org], ["audit", "--server", server, "--org", "not-a-fingerprint"],
                          ["audit", "--server", "no-port", "--org", org], ["audit", "--server", server, "--org", org, "--bogus"]] {
            let usage = try await tipline(arguments, in: f.directory)
            #expect(usage.status == 2, "\(arguments): \(usage.err)")
            #expect(usage.out.isEmpty)
        }

        // 3: nothing listens there.
        let closed = try await RPCServer.start(host: "127.0.0.1", port: 0, methods: MethodTable())
        let port = closed.port
        await closed.shutdown()
        let unreachable = try await tipline(["audit", "--server", "127.0.0.1:\(port)", "--org", org], in: f.directory)
        #expect(unreachable.status == 3, "\(unreachable.err)")
        #expect(unreachable.err.contains("could not reach 127.0.0.1:\(port)"))

        // --help exits 0 and shows the examples.
        let help = try await tipline(["audit", "--help"], in: f.directory)
        #expect(help.status == 0)
        #expect(help.out.contains("Examples:"))
    }
}
