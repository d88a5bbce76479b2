import Foundation
import Testing

/// Issue 13 item 2, through the built tools: someone with the disk cuts off
/// the end of the history together with the signed heads that covered it.
/// The chain that is left is whole, so only a head seen before can tell:
/// `tipline inbox` warns the responder whose cache saw the longer history,
/// and `tipline audit` fails against the head it remembered.
@Suite(.serialized) struct HistoryEndToEndTests {
    @Test func aCutOffHistoryIsNoticedByTheResponderAndTheAuditor() throws {
        let story = try StoryFixture(name: "history")
        defer { story.tearDown() }
        _ = try story.submit("the first tip")
        _ = try story.submit("the second tip")
        let inbox = ["inbox", "--key", "alice.key", "--cache", "alice-cache.sqlite"]
        let id = String((try story.tipline.json(inbox + ["--json"]) as! [[String: Any]])[0]["id"] as! String).prefix(8).description
        try story.tipline.ok(["triage", id, "--key", "alice.key", "--cache", "alice-cache.sqlite", "--status", "verified"])
        let clean = try story.tipline.run(inbox)
        #expect(clean.status == 0 && !clean.stderr.contains("history"), "\(clean.stderr)")
        // Nothing new since: nothing to warn about either.
        let again = try story.tipline.run(inbox)
        #expect(again.status == 0 && !again.stderr.contains("history"), "\(again.stderr)")
        let audit = try story.tipline.run(["audit", "--org", story.fingerprint])
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")

        // The triage event, its audit entry and the head that signed it go.
        let database = story.server.dataDir + "/tipline.sqlite"
        try Sqlite.execute(database, """
            DELETE FROM event WHERE seq = (SELECT MAX(seq) FROM audit);
            DELETE FROM audit_head WHERE seq = (SELECT MAX(seq) FROM audit);
            DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit);
            """)
        let warned = try story.tipline.run(inbox)
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("the server's history went backwards"), "\(warned.stderr)")
        let failed = try story.tipline.run(["audit", "--org", story.fingerprint])
        #expect(failed.status == 1, "\(failed.stdout)")
        #expect(failed.stdout.contains("its end was cut off"), "\(failed.stdout)")
        // Forgetting is a choice the auditor makes, and then the cut goes unseen.
        #expect(try story.tipline.run(["audit", "--org", story.fingerprint, "--no-remember"]).status == 0)
    }
}
