import Foundation
import Testing
import TiplineCommandLine

/// A tipster who chose a language other than English gets every usage
/// mistake, and every help text, in that language (issue 14): what the
/// parser says, what tip's own checks say, and the help of `tip` itself.
/// English runs keep ArgumentParser's text, usage line included.
@Suite(.serialized) struct LocalizedUsageEndToEndTests {
    /// Words that only ArgumentParser's English (or ours) would put there.
    let english = ["Error:", "Usage:", "USAGE:", "OVERVIEW:", "OPTIONS:", "Unknown option", "Missing", "not both",
                   "Something went wrong", "say which", "name the files"]

    func expectNoEnglish(_ text: String, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for word in english {
            #expect(!text.contains(word), "English '\(word)' in \(context): \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func aMistypedOptionIsExplainedInEveryLanguage() throws {
        let tip = Tool(name: "tip")
        for language in Language.offered where language != .english {
            let result = try tip.run(["--lang", language.rawValue, "submit", "--bogus"])
            #expect(result.status == 2, "\(language.rawValue): \(result.stderr)")
            let usage = Localization.text("error.usage", ["detail": "--bogus"], in: language)
            #expect(result.stderr.contains(usage), "\(language.rawValue): \(result.stderr)")
            #expect(result.stderr.contains(Localization.text("error.usageHelp", ["command": "tip submit"], in: language)),
                    "\(language.rawValue): \(result.stderr)")
            expectNoEnglish(result.stderr, language.rawValue)
        }
        // English keeps ArgumentParser's words and its usage line.
        let english = try tip.run(["--lang", "en", "submit", "--bogus"])
        #expect(english.status == 2)
        #expect(english.stderr.contains("Unknown option '--bogus'") && english.stderr.contains("Usage: tip submit"), "\(english.stderr)")
    }

    @Test func tipsOwnChecksSpeakTheLocaleLanguage() throws {
        let story = try StoryFixture(name: "usage")
        defer { story.tearDown() }
        var tip = story.tip
        tip.environment["LANG"] = "th_TH.UTF-8"
        let thai = { (id: String) in Localization.text(id, in: .thai) }
        let cases: [(arguments: [String], id: String)] = [
            (["submit", "--message", "x", "--message-file", "y"], "error.bothMessage"),
            (["check", "--follow-up", "a", "--follow-up-file", "b"], "error.bothFollowUp"),
            (["resend", "--server", story.address, "--org", story.fingerprint], "error.noFiles"),
            (["submit", "--tor", "--proxy", "socks5://127.0.0.1:9", "--message", "x"], "error.torAndProxy"),
            (["submit", "--tor-timeout", "0", "--message", "x"], "error.torTimeout"),
            (["submit", "--server", story.address, "--message", "x"], "error.noOrg"),
            (["submit", "--org", story.fingerprint, "--message", "x"], "error.noServer"),
            (["submit", "--server", story.address, "--org", story.fingerprint, "--proxy", "http://[oops", "--message", "x"],
             "error.proxy"),
        ]
        for (arguments, id) in cases {
            let result = try tip.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(thai(id)), "\(arguments) should say \(id): \(result.stderr)")
            expectNoEnglish(result.stderr, "\(arguments)")
        }
        #expect(try story.inbox(as: "alice").isEmpty)
    }

    @Test func helpOfEveryKindIsInTheChosenLanguage() throws {
        let tip = Tool(name: "tip")
        let vietnamese = { (id: String) in Localization.text(id, in: .vietnamese) }
        let cases: [(arguments: [String], id: String)] = [
            ([], "help.tip.abstract"),
            (["--help"], "help.tip.abstract"),
            (["help"], "help.tip.abstract"),
            (["help", "check"], "help.check.abstract"),
            (["submit", "--help"], "help.submit.abstract"),
            (["resend", "-h"], "help.resend.abstract"),
            (["verify-release", "--help"], "help.verifyRelease.abstract"),
            (["help", "verify-release"], "help.verifyRelease.abstract"),
        ]
        for (arguments, id) in cases {
            let result = try tip.run(["--lang", "vi"] + arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stdout.contains(vietnamese(id)), "\(arguments) should show \(id): \(result.stdout)")
            expectNoEnglish(result.stdout + result.stderr, "\(arguments)")
        }
        // The locale chooses as --lang does.
        var thai = tip
        thai.environment["LANG"] = "th_TH.UTF-8"
        #expect(try thai.ok(["--help"]).contains(Localization.text("help.tip", in: .thai).prefix(30)))
    }

    /// A malformed --proxy is a usage error even in the guided flow, which
    /// asks "Try again?" only about what trying again can fix.
    @Test func aBadProxyEndsTheGuidedFlowWithAUsageError() throws {
        let story = try StoryFixture(name: "badproxy")
        defer { story.tearDown() }
        let terminal = try PseudoTerminal(story.tip, ["submit", "--server", story.address, "--org", story.fingerprint,
                                                      "--proxy", "http://[oops"])
        #expect(terminal.wait() == 2, "\(terminal.screen)")
        #expect(terminal.screen.contains("--proxy:"), "\(terminal.screen)")
        #expect(!terminal.screen.contains("Try again?"), "\(terminal.screen)")
    }
}
