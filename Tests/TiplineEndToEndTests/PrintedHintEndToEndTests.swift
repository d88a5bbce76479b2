import Foundation
import Testing

/// Every command a tool prints for the user to type next must work as printed
/// (issue 11: `org enroll` said "Publish with: tipline org publish", which
/// fails without --org-key and --server). Each hint is copied from the output
/// and run, with an environment that supplies nothing the hint left out.
@Suite(.serialized) struct PrintedHintEndToEndTests {
    /// The words of a printed command; the test's paths need no shell quoting.
    private func words(of line: String, after marker: String) throws -> [String] {
        guard marker.isEmpty || line.contains(marker) else { throw TestFailure("no \"\(marker)\" in: \(line)") }
        let rest = marker.isEmpty ? Substring(line) : line[line.range(of: marker)!.upperBound...]
        return rest.split(separator: " ").map(String.init)
    }

    private func line(containing marker: String, in text: String) throws -> String {
        guard let line = text.split(separator: "\n").first(where: { $0.contains(marker) }) else {
            throw TestFailure("no line with \"\(marker)\" in:\n\(text)")
        }
        return String(line)
    }

    /// Runs and requires exit 0; both outputs, since notes go to stderr.
    private func everything(_ tool: Tool, _ arguments: [String]) throws -> String {
        let result = try tool.run(arguments)
        guard result.status == 0 else { throw TestFailure("\(arguments) exited \(result.status): \(result.stderr)") }
        return result.stdout + result.stderr
    }

    @Test func publishHintsAfterEnrollAndRevokeWorkAsPrinted() throws {
        let story = try StoryFixture(name: "hints-publish")
        defer { story.tearDown() }
        // Nothing from the environment: the hint must carry the server itself.
        var bare = story.tipline
        bare.environment["TIPLINE_SERVER"] = nil
        bare.environment["TIPLINE_ORG"] = nil

        // Before any publish the server is unknown: the hint names every flag
        // and a placeholder for the address rather than leaving --server out.
        try bare.ok(["org", "init", "--out", "second.key", "--insecure-fast-keystore", "--server-key", story.server.dataDir + "/server.pub"])
        let first = try everything(bare, ["org", "enroll", "--org-key", "second.key", "--identity", "alice.pub"])
        #expect(first.contains("Publish with: tipline org publish --org-key second.key --server HOST:PORT"), "\(first)")

        // After a publish, revoke's hint names that server and works as printed.
        let revoked = try everything(bare, ["org", "revoke", "--org-key", "org.key", "--responder", "bob"])
        let publish = try words(of: try line(containing: "Publish now:", in: revoked), after: "Publish now: ")
        #expect(publish.first == "tipline" && publish.contains("--server") && publish.contains(story.address), "\(publish)")
        let published = try bare.ok(Array(publish.dropFirst()))
        #expect(published.contains("published bundle version 3"), "\(published)")
        let refused = try story.tipline.run(["inbox", "--key", "bob.key"])
        #expect(refused.status == 6, "bob must be refused once the printed publish ran: \(refused.stderr)")
    }

    @Test func submitAndShowHintsWorkAsPrinted() throws {
        let story = try StoryFixture(name: "hints-tools")
        defer { story.tearDown() }
        _ = FileManager.default.createFile(atPath: story.path("photo.bin"), contents: Data((0..<4000).map { UInt8($0 % 251) }))

        // tip submit prints how to read replies: the same server and organisation.
        let submitted = try story.tip.ok(["submit", "--server", story.address, "--org", story.fingerprint,
                                          "--message", "A hint test", "--attach", "photo.bin"])
        let codenameLine = submitted.split(separator: "\n").drop { !$0.contains("Your codename") }.dropFirst()
            .first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let codename = try #require(codenameLine).trimmingCharacters(in: .whitespaces)
        let check = try words(of: try line(containing: "tip check", in: submitted), after: "")
            .drop { $0 != "tip" }
        #expect(Array(check.prefix(2)) == ["tip", "check"] && check.contains(story.address) && check.contains(story.fingerprint), "\(check)")
        let checked = try story.tip.ok(Array(check.dropFirst()) + ["--codename-stdin"], input: codename + "\n")
        #expect(checked.contains("No replies yet"), "\(checked)")

        // tipline show prints how to save the attachments, with this command's options.
        var bare = story.tipline
        bare.environment["TIPLINE_SERVER"] = nil
        bare.environment["TIPLINE_ORG"] = nil
        let id = String((try story.inbox(as: "alice")[0]["id"] as! String).prefix(8))
        let shown = try bare.ok(["show", id, "--key", "alice.key", "--server", story.address, "--org", story.fingerprint])
        let save = try words(of: try line(containing: "Save them with:", in: shown), after: "Save them with: ")
        #expect(save.first == "tipline" && save.contains("--out"), "\(save)")
        try bare.ok(Array(save.dropFirst()))
        let folder = story.path("tip-\(id)")
        let saved = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(saved.count == 1 && FileManager.default.contents(atPath: folder + "/" + saved[0]) == Data((0..<4000).map { UInt8($0 % 251) }))
    }
}
