import Foundation
import Testing

/// A tipster's text reaches a responder's terminal, and a responder's reply
/// reaches the tipster's. Neither may carry anything the terminal obeys: the
/// catalogue below goes through `show`, `inbox`, `attachments` (the progress
/// bar and the written path), `tip submit`'s summary, and `tip check`, and no
/// byte of any output may be a control, a C1 code, or a bidi or invisible
/// formatting character. `--json` keeps the exact text.
@Suite(.serialized) struct HostileTextEndToEndTests {
    static let payloads: [String] = [
        "\u{1B}[2J\u{1B}[H", "ok\u{1B}[1A\u{1B}[2KStatus: closed", "real\rStatus: closed", "urgent\u{8}\u{8}\u{8}routine",
        "\u{1B}[8mhidden\u{1B}[0m", "\u{1B}[32maudit OK\u{1B}[0m", "\u{1B}]8;;https://attacker.example/\u{7}click\u{1B}]8;;\u{7}",
        "\u{1B}]52;c;Y3VybA==\u{7}", "\u{1B}]0;title\u{1B}\\", "\u{9B}2J", "\u{9D}52;c;AAAA\u{9C}", "line\u{85}next",
        "ding\u{7}", "abc\u{7F}", "invoice_\u{202E}fdp.exe", "\u{202A}x\u{202C}", "\u{2067}closed\u{2069}", "a\u{061C}b",
        "a\u{200F}b", "one\u{2028}two", "\u{FEFF}bom", "a\u{0B}b\u{0C}c",
    ]

    /// Scalars that must never be printed raw.
    static func dangerous(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A: return false
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return scalar.value != 0x09
        case 0x200B...0x200D: return false
        default:
            switch scalar.properties.generalCategory {
            case .format, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }

    static func expectClean(_ output: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let bad = output.unicodeScalars.filter(Self.dangerous)
        #expect(bad.isEmpty, "\(what) printed raw \(bad.map { String($0.value, radix: 16) }): \(output.debugDescription)",
                sourceLocation: sourceLocation)
    }

    @Test func noPrinterSendsHostileTextToTheTerminal() throws {
        let story = try StoryFixture(name: "hostile")
        defer { story.tearDown() }
        let text = "Tip with hostile text\n" + Self.payloads.joined(separator: "\n")
        _ = FileManager.default.createFile(atPath: story.path("message.txt"), contents: Data(text.utf8))
        let fileName = "evidence\u{1B}[2J\u{202E}gpj.exe"
        _ = FileManager.default.createFile(atPath: story.path(fileName), contents: Data(repeating: 7, count: 5000))

        let submitted = try story.tip.run(["submit", "--server", story.address, "--org", story.fingerprint,
                                           "--message-file", "message.txt", "--where", Self.payloads[1], "--when", Self.payloads[14],
                                           "--attach", fileName])
        Self.expectClean(submitted.stdout + submitted.stderr, "tip submit")
        let codename = try #require(submitted.stdout.split(separator: "\n").drop { !$0.contains("Your codename") }.dropFirst()
            .first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }).trimmingCharacters(in: .whitespaces)

        let inbox = try story.tipline.run(["inbox", "--key", "alice.key"])
        #expect(inbox.status == 0, "\(inbox.stderr)")
        Self.expectClean(inbox.stdout + inbox.stderr, "tipline inbox")
        let id = String((try story.inbox(as: "alice")[0]["id"] as! String).prefix(8))

        let shown = try story.tipline.run(["show", id, "--key", "alice.key"])
        #expect(shown.status == 0 && shown.stdout.contains("Status: closed"), "\(shown.stderr)")
        Self.expectClean(shown.stdout + shown.stderr, "tipline show")
        // --json keeps the exact text.
        // JSONDecoder, not JSONSerialization: Foundation's JSONSerialization on
        // Linux drops a U+FEFF inside a string, which would hide what we print.
        struct Shown: Decodable { let what: String; let `where`: String }
        let shownJSON = try story.tipline.ok(["show", id, "--key", "alice.key", "--json"])
        // ...in escapes that a terminal shows rather than obeys.
        Self.expectClean(shownJSON, "tipline show --json")
        let json = try JSONDecoder().decode(Shown.self, from: Data(shownJSON.utf8))
        #expect(Array(json.what.unicodeScalars) == Array(text.unicodeScalars))
        #expect(Array(json.where.unicodeScalars) == Array(Self.payloads[1].unicodeScalars))

        let saved = try story.tipline.run(["attachments", id, "--key", "alice.key", "--out", "saved"])
        #expect(saved.status == 0, "\(saved.stderr)")
        Self.expectClean(saved.stdout + saved.stderr, "tipline attachments")

        try story.tipline.ok(["triage", id, "--key", "alice.key", "--status", "investigating", "--tag", Self.payloads[4],
                              "--note", Self.payloads.joined(separator: "\n")])
        let afterTriage = try story.tipline.run(["show", id, "--key", "bob.key"])
        Self.expectClean(afterTriage.stdout + afterTriage.stderr, "tipline show after a hostile triage note")
        Self.expectClean(try story.tipline.run(["inbox", "--key", "bob.key"]).stdout, "tipline inbox after a hostile tag")

        try story.tipline.ok(["reply", id, "--key", "alice.key", "--message", "Reply\n" + Self.payloads.joined(separator: "\n")])
        let checked = try story.tip.run(["check", "--server", story.address, "--org", story.fingerprint, "--codename-stdin"],
                                        input: codename + "\n")
        #expect(checked.status == 0 && checked.stdout.contains("Reply from"), "\(checked.stderr)")
        Self.expectClean(checked.stdout + checked.stderr, "tip check")
    }

    /// Display names in a bundle may hold bidi and invisible formatting (a
    /// bundle refuses only controls): `org show` prints them cleaned, and
    /// whole, so two names with the same beginning never look alike.
    @Test func displayNamesAreShownCleanedAndWhole() throws {
        let story = try StoryFixture(name: "hostile-names")
        defer { story.tearDown() }
        let names = ["mallory\u{202E}nimda", "responder-with-a-long-name-1", "responder-with-a-long-name-2"]
        for (i, name) in names.enumerated() {
            try story.tipline.ok(["responder", "init", "--out", "r\(i).key", "--name", name, "--insecure-fast-keystore"])
            try story.tipline.ok(["org", "enroll", "--org-key", "org.key", "--identity", "r\(i).pub"])
        }
        try story.tipline.ok(["org", "publish", "--org-key", "org.key"])
        let shown = try story.tipline.run(["org", "show"])
        #expect(shown.status == 0, "\(shown.stderr)")
        Self.expectClean(shown.stdout + shown.stderr, "tipline org show")
        #expect(shown.stdout.contains("mallory\\u{202E}nimda"), "\(shown.stdout)")
        #expect(shown.stdout.contains(names[1]) && shown.stdout.contains(names[2]), "\(shown.stdout)")
        let json = try story.tipline.ok(["org", "show", "--json"])
        Self.expectClean(json, "tipline org show --json")
        struct Report: Decodable { struct Member: Decodable { let name: String }; let responders: [Member] }
        let decoded = try JSONDecoder().decode(Report.self, from: Data(json.utf8))
        #expect(Set(names).isSubset(of: Set(decoded.responders.map(\.name))))
    }

    /// Arrow keys and other escape sequences typed at the guided prompt are
    /// dropped, not stored in the tip; the summary shows nothing raw.
    @Test func theGuidedPromptStoresNoEscapeCodes() throws {
        let story = try StoryFixture(name: "hostile-prompt")
        defer { story.tearDown() }
        let typed = "I saw\u{1B}[D\u{1B}[C it\u{1B}OP\n\n\n" + "KM\u{1B}[1;5C 12\n" + "last\u{1B}]0;x\u{7} night\n" + "\n" + "\n" + "y\n"
        let submitted = try story.tip.run(["submit", "--server", story.address, "--org", story.fingerprint, "--interactive"],
                                          input: typed)
        #expect(submitted.status == 0, "\(submitted.stderr)")
        Self.expectClean(submitted.stdout + submitted.stderr, "the guided tip submit")
        let tip = try story.inbox(as: "alice")[0]
        #expect(tip["what"] as? String == "I saw it")
        #expect(tip["where"] as? String == "KM 12")
        #expect(tip["when"] as? String == "last night")
    }
}
