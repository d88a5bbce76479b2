import Foundation
import Testing
import TiplineCommandLine
import TiplineCrypto

/// The guided `tip` of issue 14, at a real terminal: in the tipster's
/// language, checking the server and fingerprint before the story, asking
/// again after every mistake, editing lines, and reading the paths a
/// person types, pastes or drags in.
@Suite(.serialized) struct GuidedEndToEndTests {
    /// The message `id` as a Thai reader sees it (the catalogue, not a copy
    /// of it, so that a better translation does not break the test).
    func thai(_ id: String, _ values: [String: String] = [:]) -> String {
        Localization.text(id, values, in: .thai)
    }

    /// Up to the first placeholder: what a prompt with a value shows for sure.
    func start(_ text: String) -> String {
        String(text.prefix { $0 != "{" }.prefix(24))
    }

    @Test func aThaiSessionForgivesEveryMistakeAndStoresWhatWasMeant() throws {
        let story = try StoryFixture(name: "thai")
        defer { story.tearDown() }
        // Another organisation, for an impostor's fingerprint with no typo in it.
        let other = try story.tipline.json(["org", "init", "--out", "other.key", "--insecure-fast-keystore", "--json"])
            as! [String: String]
        _ = FileManager.default.createFile(atPath: story.path("my photo.jpg"), contents: Data(repeating: 0xAB, count: 5_000))
        _ = FileManager.default.createFile(atPath: story.path("notes.txt"), contents: Data("ledger".utf8))
        _ = FileManager.default.createFile(atPath: story.path("evidence file.txt"), contents: Data("names".utf8))
        var tip = story.tip
        tip.environment = ["LANG": "th_TH.UTF-8", "HOME": story.directory]
        let terminal = try PseudoTerminal(tip, ["submit", "--server", story.address])

        // The fingerprint is asked for, and checked, before the story.
        try terminal.expect(start(thai("ask.fingerprint")))
        var typo = Array(story.fingerprint)
        typo[0] = typo[0] == "1" ? "2" : "1"
        terminal.send(String(typo))
        try terminal.expect(thai("error.fingerprint"))
        // Asked again, with the mistake offered back to correct; Ctrl-U clears it.
        try terminal.expect(start(thai("ask.fingerprint")))
        terminal.type("\u{15}")
        terminal.send(other["fingerprint"]!)
        try terminal.expect(start(thai("error.impostor")))
        try terminal.expect(start(thai("ask.fingerprint")))
        terminal.type("\u{15}")
        terminal.send(story.fingerprint)
        try terminal.expect(start(thai("connect.verified")))

        // The story: a line edited with the arrow keys and Backspace, then Ctrl-D.
        try terminal.expect(thai("ask.what"))
        try terminal.expect(start(thai("ask.textHint")))
        try terminal.expect("> ")
        terminal.type("abcd")
        terminal.type("\u{7F}")          // Backspace: abc
        terminal.type("\u{1B}[D")        // Left
        terminal.type("X")               // abXc
        terminal.type("\u{1B}[A")        // Up: nothing (no history)
        terminal.type("\u{1B}[H")        // Home
        terminal.type(">")               // >abXc
        terminal.send("")
        terminal.send("บรรทัดที่สอง")
        terminal.type("\u{04}")          // Ctrl-D ends the text
        try terminal.expect(start(thai("ask.where")))
        terminal.send("แม่สอด")
        try terminal.expect(start(thai("ask.when")))
        terminal.send("")
        try terminal.expect(start(thai("ask.contact")))
        terminal.send("")

        // Files: dragged in (escaped space), from home (~), quoted, and one that is not there.
        try terminal.expect(start(thai("ask.file")))
        terminal.send(story.path("my\\ photo.jpg") + " ")
        try terminal.expect("my photo.jpg")
        terminal.send("~/notes.txt")
        try terminal.expect("notes.txt")
        terminal.send("'\(story.path("evidence file.txt"))'")
        try terminal.expect("evidence file.txt")
        terminal.send(story.path("missing.jpg"))
        try terminal.expect(start(thai("file.unreadable")))
        terminal.send("")

        // The summary; an answer that is neither yes nor no is asked again.
        try terminal.expect(start(thai("summary.title")))
        try terminal.expect(start(thai("confirm.send")))
        #expect(terminal.screen.contains(story.fingerprint))
        terminal.send("ja")
        let yes = Localization.text("answer.yes", in: .thai).split(separator: ",")[0].trimmingCharacters(in: .whitespaces)
        try terminal.expect(start(thai("answer.unclear")))
        terminal.send(yes)
        try terminal.expect(thai("codename.title"))
        try terminal.expect(start(thai("files.done")))
        #expect(terminal.wait() == 0, "\(terminal.screen)")

        let inbox = try story.inbox(as: "alice")
        try #require(inbox.count == 1)
        #expect(inbox[0]["what"] as? String == ">abXc\nบรรทัดที่สอง")
        #expect(inbox[0]["where"] as? String == "แม่สอด")
        let names = (inbox[0]["attachments"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["my photo.jpg", "notes.txt", "evidence file.txt"])
        // No English on the way: every prompt came from the Thai catalogue.
        for english in ["What happened?", "Send it now?", "Your codename:", "Cannot open"] {
            #expect(!terminal.screen.contains(english), "English '\(english)' in a Thai run")
        }
    }

    @Test func aCLocaleOpensWithTheLanguageMenu() throws {
        let story = try StoryFixture(name: "menu")
        defer { story.tearDown() }
        var tip = story.tip
        tip.environment = ["LANG": "C"]
        let terminal = try PseudoTerminal(tip, ["submit", "--server", story.address, "--org", story.fingerprint])
        for name in Language.offered.map(\.nativeName) { try terminal.expect(name) }
        terminal.send("\(Language.offered.firstIndex(of: .burmese)! + 1)")
        try terminal.expect(Localization.text("ask.what", in: .burmese))
        // Ctrl-C ends tip at once, sending nothing (once the line editor reads keys).
        try terminal.expect("> ")
        terminal.type("\u{03}")
        #expect(terminal.wait() == 130)
        #expect(try story.inbox(as: "alice").isEmpty)
    }

    /// In the pseudo-language every catalogue text is marked ⟦ ⟧: any other
    /// words on the screen bypassed the catalogue.
    @Test func everyWordOfTheGuidedFlowComesFromTheCatalogue() throws {
        let story = try StoryFixture(name: "pseudo")
        defer { story.tearDown() }
        _ = FileManager.default.createFile(atPath: story.path("photo.jpg"), contents: Data(repeating: 1, count: 3_000))
        var tip = story.tip
        tip.environment = ["TIPLINE_PSEUDO_LANGUAGE": "1"]
        let terminal = try PseudoTerminal(tip, ["submit", "--lang", "qps", "--server", story.address])
        try terminal.expect("⟦")
        terminal.send(story.fingerprint)
        terminal.send("Seen")
        terminal.send("")
        terminal.send("")
        for _ in 0..<3 { terminal.send("") }
        terminal.send("photo.jpg")
        terminal.send("")
        terminal.send("maybe")
        terminal.send("yes")
        #expect(terminal.wait() == 0, "\(terminal.screen)")

        let codename = try #require(terminal.screen.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.first { (try? Codename(parsing: $0)) != nil })
        var unmarked: [String] = []
        for rawLine in terminal.screen.split(whereSeparator: { $0 == "\n" }) {
            // What is on screen after the last redraw of the line, without escapes.
            let shown = String(rawLine.split(separator: "\r").last ?? "")
                .replacing(/\x1B\[[0-9;?]*[A-Za-z]/, with: "").trimmingCharacters(in: .whitespaces)
            if shown.isEmpty || shown.contains("⟦") || shown.hasPrefix(">") || shown == codename
                || shown.contains(story.fingerprint) || shown.hasPrefix("tip ") || shown.contains("[#") || shown.contains("[-")
                || shown.hasPrefix("- ") {
                continue
            }
            unmarked.append(shown)
        }
        #expect(unmarked.isEmpty, "text outside the catalogue: \(unmarked)")
    }

    @Test func anUnreachableServerIsAskedForAgainBeforeTheStory() throws {
        let story = try StoryFixture(name: "unreachable")
        defer { story.tearDown() }
        let terminal = try PseudoTerminal(story.tip, ["submit", "--server", "127.0.0.1:1", "--org", story.fingerprint])
        try terminal.expect("Cannot reach the server.")
        try terminal.expect("Try again?")
        terminal.send("y")
        try terminal.expect("Server address")
        terminal.type("\u{15}")   // Ctrl-U clears the address it offers back
        terminal.send(story.address)
        try terminal.expect("Connected.")
        try terminal.expect("What happened?")
        try terminal.expect("> ")
        terminal.type("\u{03}")
        #expect(terminal.wait() == 130)
    }

    @Test func checkAsksForAFollowUpAtTheTerminal() throws {
        let story = try StoryFixture(name: "followup")
        defer { story.tearDown() }
        let codename = try story.submit("the first report")
        let terminal = try PseudoTerminal(story.tip, ["check", "--server", story.address, "--org", story.fingerprint])
        try terminal.expect("Your codename")
        terminal.send(codename)
        try terminal.expect("No replies yet.")
        try terminal.expect("add something")
        terminal.send("yes")
        try terminal.expect("What do you want to add?")
        terminal.send("They moved us to building 9.")
        terminal.send("")
        terminal.send("")
        try terminal.expect("What you added was sent.")
        #expect(terminal.wait() == 0, "\(terminal.screen)")
        // Typed without being shown.
        #expect(!terminal.screen.contains(codename), "the codename was echoed: \(terminal.screen)")
        // The next check shows the tipster what they added.
        let again = try story.tip.run(["check", "--server", story.address, "--org", story.fingerprint, "--codename-stdin"],
                                      input: codename + "\n")
        #expect(again.status == 0 && again.stdout.contains("You added:") && again.stdout.contains("They moved us to building 9."),
                "\(again.stdout)\(again.stderr)")
        let inbox = try story.tipline.json(["show", String((try story.inbox(as: "alice"))[0]["id"] as! String).prefix(8).description,
                                            "--key", "alice.key", "--json"]) as! [String: Any]
        #expect("\(inbox)".contains("They moved us to building 9."), "\(inbox)")
        // The follow-up never went on a command line.
        #expect(!terminal.screen.contains("--follow-up"))
    }
}
