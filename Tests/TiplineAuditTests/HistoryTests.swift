import Foundation
import GRDB
import Testing
import TiplineAudit
import TiplineClient
import TiplineCrypto

/// Issue 13 item 2: a history cut off together with the heads that covered
/// it is caught by a head seen before: remembered by `tipline audit`, given
/// as `--expect-head`, or remembered by a responder's cache.
@Suite(.serialized) struct HistoryTests {
    func row(_ report: AuditReport, _ check: AuditCheck) throws -> AuditCheckResult {
        try #require(report.results(check).first, "no \(check.rawValue) row")
    }

    func audit(_ f: AuditFixture, heads: KnownHeads? = nil, expect: [KnownHead] = []) async throws -> AuditReport {
        let clock = f.clock
        return try await Auditor(connection: f.client, organisation: f.fingerprint,
                                 expectedHeads: expect.map { ($0, "--expect-head \($0)") }, knownHeads: heads,
                                 clock: { clock.read() }).run()
    }

    /// Deletes the newest `count` entries with their events and the heads that covered them, as someone with the disk would.
    func cut(_ f: AuditFixture, _ count: Int64) throws {
        try f.tamper(f.databasePath) { db in
            let newest = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM audit") ?? 0
            for table in ["event", "audit", "audit_head"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE seq > ?", arguments: [newest - count])
            }
        }
    }

    @Test func aCutOffHistoryFailsAgainstTheRememberedHeadAndTheMemoryOnlyMovesForward() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        let history = try await f.makeHistory()
        let path = f.directory + "/state/tipline/audit-heads.json"
        var heads = try KnownHeads(path: path)
        let first = try await audit(f, heads: heads)
        #expect(first.passed)
        #expect(try row(first, .history).status == .skip)
        let seen = try #require(first.head)
        let serverKey = f.identity.publicKey.keyId
        try heads.remember(seen, organisation: f.fingerprint, serverKey: serverKey)

        // The chain grows; the next audit checks it grew from the remembered head.
        try await f.triage(history.secondTip, "status: closed", bundle: history.v2, as: f.alice)
        heads = try KnownHeads(path: path)
        let grown = try await audit(f, heads: heads)
        #expect(grown.passed, "\(grown.table())")
        #expect(try row(grown, .history).detail.contains("the chain grew from the head remembered in \(path)"))
        try heads.remember(try #require(grown.head), organisation: f.fingerprint, serverKey: serverKey)

        // Cut back by three, heads and all: every other check passes, as before issue 13.
        try cut(f, 3)
        let forgetful = try await audit(f)
        #expect(forgetful.passed, "\(forgetful.table())")
        let caught = try await audit(f, heads: try KnownHeads(path: path))
        #expect(!caught.passed)
        let detail = try row(caught, .history).detail
        #expect(detail.contains("now ends at entry \(seen.sequence - 2), but it had reached entry \(seen.sequence + 1) before: its end was cut off"),
                "\(detail)")
        #expect(caught.head == nil, "a head that does not continue the remembered one is not offered to keep")
        // An older head is never remembered over a newer one.
        heads = try KnownHeads(path: path)
        try heads.remember(KnownHead(sequence: 1, hash: [UInt8](repeating: 0, count: 32), seenAt: 0), organisation: f.fingerprint,
                           serverKey: serverKey)
        #expect(try KnownHeads(path: path).head(organisation: f.fingerprint, serverKey: serverKey)?.sequence == seen.sequence + 1)
        // A damaged memory is an error, never silently started afresh.
        try Data("{".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: KnownHeadError.self) { _ = try KnownHeads(path: path) }
    }

    @Test func aRewrittenHistoryFailsAgainstAnExpectedHead() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        let history = try await f.makeHistory()
        let first = try await audit(f)
        let seen = try #require(first.head)
        #expect(try KnownHead(parsing: seen.description) == KnownHead(sequence: seen.sequence, hash: try #require(seen.hashBytes), seenAt: 0))
        #expect(throws: KnownHeadError.malformed) { _ = try KnownHead(parsing: "\(seen.sequence):abcd") }
        #expect(throws: KnownHeadError.malformed) { _ = try KnownHead(parsing: "x:\(seen.hash)") }

        let kept = try KnownHead(parsing: seen.description)
        let unchanged = try await audit(f, expect: [kept])
        #expect(unchanged.passed, "\(unchanged.table())")
        #expect(try row(unchanged, .history).status == .pass)

        // Cut back by three, then new entries signed by the server: as long
        // as before, but different from the kept head on.
        try cut(f, 3)
        for note in ["a", "b", "c", "d"] { try await f.triage(history.firstTip, note, bundle: history.v2, as: f.alice) }
        let rewritten = try await audit(f, expect: [kept])
        #expect(!rewritten.passed)
        let detail = try row(rewritten, .history).detail
        #expect(detail.contains("--expect-head \(kept) (entry \(kept.sequence))"), "\(detail)")
        #expect(detail.contains("audit entry \(kept.sequence) is not the entry seen there before: the history was rewritten"), "\(detail)")
    }

    @Test func aResponderIsWarnedWhenTheServersHistoryWentBackwards() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        let history = try await f.makeHistory()
        let keys = KeystoreContents(role: .responder, name: "alice", signingKey: f.alice.sign, boxKey: f.alice.box,
                                    parameters: .insecureForTesting)
        let cachePath = f.directory + "/cache/alice.sqlite"
        func open() async throws -> ResponderWorkspace {
            let workspace = try await ResponderWorkspace.open(connection: f.client, keys: keys, pinned: f.fingerprint, cachePath: cachePath)
            try await workspace.sync()
            return workspace
        }
        #expect(try await open().checkHistory() == nil)
        // Nothing new since: still nothing to say.
        #expect(try await open().checkHistory() == nil)
        try await f.triage(history.secondTip, "status: closed", bundle: history.v2, as: f.alice)
        #expect(try await open().checkHistory() == nil)
        try cut(f, 2)
        let warning = try await open().checkHistory()
        #expect(warning?.contains("the server's history went backwards") == true, "\(warning ?? "no warning")")
        // It keeps warning: the cache does not take the shorter history as the new normal.
        #expect(try await open().checkHistory()?.contains("went backwards") == true)
    }
}
