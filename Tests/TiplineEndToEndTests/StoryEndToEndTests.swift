import Foundation
import Testing
import TiplineCrypto

/// The whole story of issue 5, in order, through the built executables.
@Suite(.serialized) struct StoryEndToEndTests {
    @Test func theWholeStory() throws {
        let story = try StoryFixture(name: "story")
        defer { story.tearDown() }

        // 3. A tip with an attachment.
        let evidence = (0..<150_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        _ = FileManager.default.createFile(atPath: story.path("evidence.bin"), contents: Data(evidence))
        let codename = try story.submit("Compound at KM 12: about 300 people held\nGuards change at 6.", attachments: ["evidence.bin"],
                                        extra: ["--where", "Near the river", "--when", "Last night"])
        #expect((try? Codename(parsing: codename)) != nil)

        // 4. The inbox lists it; show decrypts it and the attachment.
        let inbox = try story.inbox(as: "alice")
        try #require(inbox.count == 1)
        let id = String((inbox[0]["id"] as! String).prefix(8))
        #expect(inbox[0]["what"] as? String == "Compound at KM 12: about 300 people held\nGuards change at 6.")
        let table = try story.tipline.ok(["inbox", "--key", "alice.key"])
        #expect(table.contains(id) && table.contains("Compound at KM 12: about 300 people held") && table.contains("new"))
        let shown = try story.tipline.ok(["show", id, "--key", "alice.key"])
        #expect(shown.contains("Near the river") && shown.contains("Last night") && shown.contains("evidence.bin"))
        try story.tipline.ok(["attachments", id, "--key", "alice.key", "--out", "saved"])
        let saved = try FileManager.default.contentsOfDirectory(atPath: story.path("saved"))
        try #require(saved.count == 1)
        #expect(FileManager.default.contents(atPath: story.path("saved/" + saved[0])) == Data(evidence))
        let mode = try FileManager.default.attributesOfItem(atPath: story.path("saved"))[.posixPermissions] as? Int
        #expect(mode == 0o700)

        // 5. A triage note from alice is read by bob.
        try story.tipline.ok(["triage", id, "--key", "alice.key", "--status", "investigating", "--priority", "high",
                              "--assign", "alice", "--tag", "urgent", "--note", "Called the embassy"])
        let bobView = try story.tipline.json(["show", id, "--key", "bob.key", "--json"]) as! [String: Any]
        let triage = bobView["triage"] as! [String: Any]
        #expect(triage["status"] as? String == "investigating" && triage["assignee"] as? String == "alice")
        #expect(triage["tags"] as? [String] == ["urgent"])
        let history = bobView["history"] as! [[String: Any]]
        #expect(history.contains { $0["text"] as? String == "Called the embassy" && $0["author"] as? String == "alice" })
        #expect(try story.tipline.ok(["inbox", "--key", "bob.key", "--status", "new"]).contains("No tips"))

        // 6. A reply; tip check shows it; a follow-up comes back to the responders.
        try story.tipline.ok(["reply", id, "--key", "alice.key", "--message", "Thank you. Are you safe?"])
        let check = try story.tip.json(["check", "--server", story.address, "--org", story.fingerprint, "--codename-stdin",
                                        "--follow-up", "Safe for now.", "--json"], input: codename + "\n") as! [String: Any]
        let messages = check["messages"] as! [[String: Any]]
        #expect(messages.contains { $0["kind"] as? String == "reply" && $0["text"] as? String == "Thank you. Are you safe?"
                                    && $0["from"] as? String == "alice" })
        let afterFollowUp = try story.tipline.json(["show", id, "--key", "bob.key", "--json"]) as! [String: Any]
        #expect((afterFollowUp["history"] as! [[String: Any]]).contains {
            // Signed with the codename's mailbox key, which the sealed tip names (issue 13).
            $0["kind"] as? String == "follow-up" && $0["text"] as? String == "Safe for now." && $0["author"] as? String == "tipster"
                && $0["warning"] == nil
        })
        // Every responder event so far is bound to its place and its signer.
        #expect((afterFollowUp["history"] as! [[String: Any]]).allSatisfy { $0["warning"] == nil && $0["problem"] == nil })

        // A handover export: decrypted, 0700, with a warning.
        let exported = try story.tipline.run(["export", "--key", "alice.key", "--out", "handover"])
        #expect(exported.status == 0 && exported.stderr.contains("DECRYPTED"), "\(exported.stderr)")
        let folder = story.path("handover/" + (inbox[0]["id"] as! String))
        #expect(try FileManager.default.attributesOfItem(atPath: story.path("handover"))[.posixPermissions] as? Int == 0o700)
        #expect(try String(contentsOfFile: folder + "/tip.txt", encoding: .utf8).contains("Compound at KM 12"))
        let exportedFiles = try FileManager.default.contentsOfDirectory(atPath: folder + "/attachments")
        #expect(exportedFiles.count == 1 && FileManager.default.contents(atPath: folder + "/attachments/" + exportedFiles[0]) == Data(evidence))

        // The responders' inbox caches: a 0700 directory of 0600 files that
        // hold the tips sealed, never their text.
        let cacheDirectory = story.path("cache/tipline")
        #expect(try FileManager.default.attributesOfItem(atPath: cacheDirectory)[.posixPermissions] as? Int == 0o700)
        let cacheFiles = try FileManager.default.contentsOfDirectory(atPath: cacheDirectory)
        #expect(cacheFiles.contains { $0.hasSuffix(".sqlite") })
        for name in cacheFiles {
            let file = cacheDirectory + "/" + name
            #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600, "\(name)")
            let bytes = FileManager.default.contents(atPath: file) ?? Data()
            #expect(bytes.range(of: Data("Compound at KM 12".utf8)) == nil, "plaintext in \(name)")
            #expect(bytes.range(of: Data("Safe for now.".utf8)) == nil, "plaintext in \(name)")
        }

        // 7. Revoke bob: from the moment the bundle is published, bob is refused.
        try story.tipline.ok(["org", "revoke", "--org-key", "org.key", "--responder", "bob"])
        try story.tipline.ok(["org", "publish", "--org-key", "org.key"])
        let refused = try story.tipline.run(["inbox", "--key", "bob.key"])
        #expect(refused.status == 6)
        #expect(refused.stderr.contains("not a responder"), "\(refused.stderr)")
        #expect(try story.inbox(as: "alice").count == 1)

        // 8. The audit passes: over RPC, and over the live database read-only.
        let database = story.server.dataDir + "/tipline.sqlite"
        let audit = try story.tipline.run(["audit", "--org", story.fingerprint, "--db", database])
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
        #expect(audit.stdout.contains("PASSED"), "\(audit.stdout)")
        // The test keystores were made with --insecure-fast-keystore: the inventory says so.
        let weak = try story.tipline.run(["audit", "--org", story.fingerprint, "--keystore", "alice.key"])
        #expect(weak.status == 1 && weak.stdout.contains("alice.key"), "\(weak.stdout)")

        // 9. One database row is tampered with: the audit fails and names it.
        let fullId = inbox[0]["id"] as! String
        try Sqlite.execute(database, "UPDATE tip SET envelope = substr(envelope, 1, 100) || X'00' || substr(envelope, 102) WHERE hex(id) = '\(fullId.uppercased())'")
        let tampered = try story.tipline.run(["audit", "--org", story.fingerprint, "--db", database, "--json"])
        #expect(tampered.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(tampered.stdout.utf8)) as! [String: Any]
        #expect(report["passed"] as? Bool == false)
        let failures = (report["checks"] as! [[String: Any]]).filter { $0["status"] as? String == "fail" }
        #expect(failures.contains { ($0["detail"] as? String ?? "").contains(fullId) }, "\(failures)")
    }

    /// Issue 12 item 5: the frame and envelope limits agree with PROTOCOL.md
    /// §4.2, so a tip of about 4 MiB and a reply of 1 MiB go through whole.
    /// Before, anything over about 500 KB failed as "cannot reach the server".
    @Test func longTextsGoThrough() throws {
        let story = try StoryFixture(name: "long-texts")
        defer { story.tearDown() }
        let tipBytes = 4_150_000, replyBytes = 1 << 20
        _ = FileManager.default.createFile(atPath: story.path("long-tip.txt"),
                                           contents: Data(repeating: UInt8(ascii: "x"), count: tipBytes))
        _ = FileManager.default.createFile(atPath: story.path("long-reply.txt"),
                                           contents: Data(repeating: UInt8(ascii: "y"), count: replyBytes))
        let submitted = try story.tip.json(["submit", "--server", story.address, "--org", story.fingerprint,
                                            "--message-file", "long-tip.txt", "--json"]) as! [String: Any]
        let codename = submitted["codename"] as! String
        let id = try story.inbox(as: "alice")[0]["id"] as! String
        let shown = try JSONDecoder().decode(TipWhat.self, from: Data(try story.tipline.ok(["show", id, "--key", "alice.key", "--json"]).utf8))
        #expect(shown.what.utf8.count == tipBytes)
        try story.tipline.ok(["reply", id, "--key", "alice.key", "--message-file", "long-reply.txt"])
        // Four more: a mailbox of over 4 MiB, which no one frame could carry,
        // is read whole (issue 12 item 4: the mailbox comes in pages).
        for _ in 0..<4 {
            try story.tipline.ok(["reply", id, "--key", "bob.key", "--message-file", "long-reply.txt"])
        }
        let check = try JSONDecoder().decode(Checked.self, from: Data(try story.tip.run(
            ["check", "--server", story.address, "--org", story.fingerprint, "--codename-stdin", "--json"],
            input: codename + "\n").stdout.utf8))
        let replies = check.messages.filter { $0.kind == "reply" }
        #expect(replies.count == 5 && replies.allSatisfy { $0.text.utf8.count == replyBytes })
        #expect(replies.reduce(0) { $0 + $1.text.utf8.count } > 4 << 20)
    }

    /// A text over §4.2's 4,194,303 content bytes travels as an attachment
    /// flagged as the text; responders read it whole in show, show --json and
    /// export, and the inbox shows its beginning.
    @Test func textsOverOneEnvelopeTravelAsTheirAttachment() throws {
        let story = try StoryFixture(name: "longer-texts")
        defer { story.tearDown() }
        var text = "ข้อความยาวมาก — စာသားရှည် — a long account\n"
        var line = 0
        while text.utf8.count < 5 << 20 {
            line += 1
            text += "บรรทัด \(line): พวกเขายึดหนังสือเดินทางของเรา / သူတို့က ကျွန်ုပ်တို့ရဲ့ ပတ်စ်ပို့ကို သိမ်းထားတယ်\n"
        }
        text += "THE END"
        _ = FileManager.default.createFile(atPath: story.path("longer.txt"), contents: Data(text.utf8))
        let submitted = try story.tip.json(["submit", "--server", story.address, "--org", story.fingerprint,
                                            "--message-file", "longer.txt", "--attach", "longer.txt", "--json"]) as! [String: Any]
        #expect(submitted["attachments"] as? Int == 1)
        let listed = try story.inbox(as: "alice")[0]
        let id = listed["id"] as! String
        let shown = try JSONDecoder().decode(LongTip.self, from: Data(try story.tipline.ok(["show", id, "--key", "alice.key", "--json"]).utf8))
        #expect(shown.what == text, "\(shown.what.utf8.count) of \(text.utf8.count) bytes")
        #expect(shown.textIsWhole && shown.textAttachment == 1 && shown.textProblem == nil)
        #expect(shown.attachments.map(\.isText) == [true, false])
        let human = try story.tipline.ok(["show", id, "--key", "alice.key"])
        #expect(human.contains("THE END") && human.contains("the tip's text, shown above") && !human.contains("only the beginning"))
        try story.tipline.ok(["export", "--out", "handover", "--key", "alice.key", "--no-attachments"])
        let exported = try String(contentsOfFile: story.path("handover/\(id)/tip.txt"), encoding: .utf8)
        #expect(exported.contains(text))
        // Over the tip's own limit: refused in plain words before any proof of work.
        _ = FileManager.default.createFile(atPath: story.path("huge.txt"),
                                           contents: Data(repeating: UInt8(ascii: "x"), count: (64 << 20) + 1))
        let huge = try story.tip.run(["submit", "--server", story.address, "--org", story.fingerprint, "--message-file", "huge.txt"])
        #expect(huge.status == 2 && huge.stderr.contains("too long") && huge.stderr.contains("67,108,864"), "\(huge.stderr)")
        #expect(!huge.stderr.contains("Proof of work") && !huge.stderr.contains("cannot reach"), "\(huge.stderr)")
    }

    struct LongTip: Decodable {
        struct Attachment: Decodable { let isText: Bool }
        let what: String
        let textAttachment: Int?
        let textIsWhole: Bool
        let textProblem: String?
        let attachments: [Attachment]
    }

    struct TipWhat: Decodable { let what: String }
    struct Checked: Decodable {
        struct Message: Decodable { let kind: String; let text: String }
        let messages: [Message]
    }

    @Test func tipsterFailuresAreClear() throws {
        let story = try StoryFixture(name: "failures")
        defer { story.tearDown() }
        let codename = try story.submit("first")
        // A wrong fingerprint: refuse to send.
        let other = try Fingerprint(parsing: story.fingerprint)
        let wrong = Fingerprint(organisationKey: SigningKeyPair().publicKey)
        #expect(!wrong.matches(other))
        let mismatch = try story.tip.run(["submit", "--server", story.address, "--org", wrong.description, "--message", "x"])
        #expect(mismatch.status == 4 && mismatch.stderr.contains("Do not send anything"), "\(mismatch.stderr)")
        // A typo in the codename: caught locally by the check symbol.
        var typo = Array(codename)
        typo[0] = typo[0] == "A" ? "B" : "A"
        let badCode = try story.tip.run(["check", "--server", story.address, "--org", story.fingerprint, "--codename-stdin"],
                                        input: String(typo) + "\n")
        #expect(badCode.status == 6 && badCode.stderr.contains("codename"), "\(badCode.stderr)")
        // A valid codename that no tip has.
        let unknown = try story.tip.run(["check", "--server", story.address, "--org", story.fingerprint, "--codename-stdin"],
                                        input: Codename().revealed() + "\n")
        #expect(unknown.status == 6 && unknown.stderr.contains("No tip has this codename"), "\(unknown.stderr)")
        // Unreachable server.
        let unreachable = try story.tip.run(["submit", "--server", "127.0.0.1:1", "--org", story.fingerprint, "--message", "x"])
        #expect(unreachable.status == 3 && unreachable.stderr.contains("cannot reach"), "\(unreachable.stderr)")
        // ...with the reason, and without the address (NIO's own description names it).
        #expect(unreachable.stderr.contains("(connection refused)") && !unreachable.stderr.contains("127.0.0.1"), "\(unreachable.stderr)")
        // A non-loopback server without a proxy: warned, and refused without --direct.
        let direct = try story.tip.run(["submit", "--server", "192.0.2.1:7040", "--org", story.fingerprint, "--message", "x"])
        #expect(direct.status == 2 && direct.stderr.contains("without Tor"), "\(direct.stderr)")
        // A text over the envelope limit is refused in plain words, before any
        // proof of work is spent, never as "cannot reach the server". (A tip
        // that long travels as an attachment; a follow-up or reply cannot.)
        _ = FileManager.default.createFile(atPath: story.path("long.txt"), contents: Data(repeating: UInt8(ascii: "x"), count: 4_300_000))
        let long = try story.tip.run(["check", "--server", story.address, "--org", story.fingerprint, "--codename-stdin",
                                      "--follow-up-file", "long.txt"], input: codename + "\n")
        #expect(long.status == 2 && long.stderr.contains("follow-up is too long") && long.stderr.contains("several"), "\(long.stderr)")
        #expect(!long.stderr.contains("Proof of work") && !long.stderr.contains("cannot reach"), "\(long.stderr)")
        let id = String((try story.inbox(as: "alice")[0]["id"] as! String).prefix(8))
        let longReply = try story.tipline.run(["reply", id, "--key", "alice.key", "--message-file", "long.txt"])
        #expect(longReply.status == 2 && longReply.stderr.contains("reply is too long"), "\(longReply.stderr)")
        // Names that only look like loopback are remote: no direct connection, no DNS lookup.
        for name in ["127.attacker.example:7040", "localhost:7040"] {
            let lookalike = try story.tip.run(["submit", "--server", name, "--org", story.fingerprint, "--message", "x"])
            #expect(lookalike.status == 2 && lookalike.stderr.contains("without Tor"), "\(name): \(lookalike.stderr)")
        }
    }

    /// SECURITY.md: `tip` never shows the tipster their tip's id, which would
    /// be one more thing to hide on a device that may be searched; the
    /// codename is all they need. Neither the text nor the JSON output, nor
    /// standard error, holds the id or any 8-character piece of it.
    @Test func tipPrintsNoTipId() throws {
        let story = try StoryFixture(name: "no-tip-id")
        defer { story.tearDown() }
        let plain = try story.tip.run(["submit", "--server", story.address, "--org", story.fingerprint, "--message", "plain"])
        #expect(plain.status == 0, "\(plain.stderr)")
        let json = try story.tip.run(["submit", "--server", story.address, "--org", story.fingerprint, "--message", "json", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let ids = try story.inbox(as: "alice").map { ($0["id"] as! String).lowercased() }
        #expect(ids.count == 2 && ids.allSatisfy { $0.count == 32 })
        let printed = [plain.stdout, plain.stderr, json.stdout, json.stderr].joined(separator: "\n").lowercased()
        for id in ids {
            let pieces = (0...(id.count - 8)).map { id.dropFirst($0).prefix(8) }
            #expect(!pieces.contains { printed.contains($0) }, "tip printed part of the tip id \(id)")
        }
    }
}
