import Foundation
import Testing
import TiplineCrypto

/// `tip` as a frightened person would use it: at a terminal, answering
/// questions, on a device that must keep no trace.
@Suite(.serialized) struct TipsterEndToEndTests {
    @Test func guidedSubmissionAtATerminal() throws {
        let story = try StoryFixture(name: "pty")
        defer { story.tearDown() }
        _ = FileManager.default.createFile(atPath: story.path("photo.jpg"), contents: Data(repeating: 0xAB, count: 70_000))
        let terminal = try PseudoTerminal(story.tip, ["submit", "--server", story.address, "--org", story.fingerprint])
        try terminal.expect("What happened?")
        terminal.send("Forty people moved by truck at night.")
        terminal.send("They took our passports.")
        // Two empty lines end the text.
        terminal.send("")
        terminal.send("")
        try terminal.expect("Where did it happen?")
        terminal.send("Shwe Kokko, building 7")
        try terminal.expect("When did it happen?")
        terminal.send("Monday")
        try terminal.expect("If yes, how?")
        terminal.send("")
        try terminal.expect("drag it here")
        terminal.send("photo.jpg")
        try terminal.expect("Added: photo.jpg")
        terminal.send("")
        // The summary and the fingerprint come before anything is sent.
        try terminal.expect("Send it now?")
        #expect(terminal.screen.contains(story.fingerprint))
        #expect(terminal.screen.contains("photo.jpg"))
        terminal.send("y")
        try terminal.expect("Your codename:")
        let status = terminal.wait()
        #expect(status == 0, "\(terminal.screen)")
        let codeLine = terminal.screen.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .first { (try? Codename(parsing: $0)) != nil }
        #expect(codeLine != nil, "no codename on screen:\n\(terminal.screen)")

        let inbox = try story.inbox(as: "alice")
        try #require(inbox.count == 1)
        #expect(inbox[0]["what"] as? String == "Forty people moved by truck at night.\nThey took our passports.")
        #expect(inbox[0]["where"] as? String == "Shwe Kokko, building 7")
        #expect((inbox[0]["attachments"] as? [[String: Any]])?.first?["name"] as? String == "photo.jpg")
    }

    @Test func declinedSummarySendsNothing() async throws {
        let story = try StoryFixture(name: "decline")
        defer { story.tearDown() }
        let terminal = try PseudoTerminal(story.tip, ["submit", "--server", story.address, "--org", story.fingerprint])
        try terminal.expect("What happened?")
        // While it waits for the answer: no core file could ever be written.
        #expect(try coreLimit(of: terminal.pid) == "0 0")
        // tipline, waiting on a server that accepts and never answers.
        let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(silent) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = bind(silent, $0, length) } }
        listen(silent, 4)
        withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(silent, $0, &length) } }
        let waiting = Process()
        waiting.executableURL = URL(fileURLWithPath: story.tipline.path)
        waiting.arguments = ["org", "show", "--server", "127.0.0.1:\(UInt16(bigEndian: address.sin_port))", "--org", story.fingerprint]
        waiting.standardOutput = FileHandle.nullDevice
        waiting.standardError = FileHandle.nullDevice
        try waiting.run()
        try await Task.sleep(for: .milliseconds(500))
        #expect(try coreLimit(of: waiting.processIdentifier) == "0 0")
        waiting.terminate()
        waiting.waitUntilExit()
        #expect(try coreLimit(of: story.server.pid) == "0 0")
        terminal.send("Never mind")
        terminal.send("")
        terminal.send("")
        for prompt in ["Where did it happen?", "When did it happen?", "If yes, how?", "drag it here"] {
            try terminal.expect(prompt)
            terminal.send("")
        }
        try terminal.expect("Send it now?")
        // "ja" is no answer in English: asked again, never taken as no (issue 14).
        terminal.send("ja")
        try terminal.expect("Please answer yes or no.")
        terminal.send("n")
        try terminal.expect("Not sent.")
        #expect(terminal.wait() != 0)
        #expect(try story.inbox(as: "alice").isEmpty)
    }

    /// Everything under home, temp and the working folder, with sizes and times.
    func snapshot(_ roots: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for root in roots {
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            while let relative = walker.nextObject() as? String {
                let path = root + "/" + relative
                let attributes = try? FileManager.default.attributesOfItem(atPath: path)
                result[path] = "\(attributes?[.size] ?? 0) \((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
            }
        }
        return result
    }

    @Test func tipWritesNothingToDisk() throws {
        let story = try StoryFixture(name: "notrace")
        defer { story.tearDown() }
        let device = story.path("device")
        let (home, temp, work) = (device + "/home", device + "/tmp", device + "/work")
        for folder in [home, temp, work] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        _ = FileManager.default.createFile(atPath: work + "/evidence.txt", contents: Data("ledger".utf8))
        var tip = story.tip
        tip.directory = work
        tip.environment = ["HOME": home, "TMPDIR": temp, "XDG_CACHE_HOME": home + "/.cache", "XDG_CONFIG_HOME": home + "/.config"]
        let before = snapshot([home, temp, work])

        let submitted = try tip.json(["submit", "--server", story.address, "--org", story.fingerprint, "--message", "no trace",
                                      "--attach", "evidence.txt", "--json"]) as! [String: Any]
        let codename = submitted["codename"] as! String
        try story.tipline.ok(["reply", String((try story.inbox(as: "alice"))[0]["id"] as! String).prefix(8).description,
                              "--key", "alice.key", "--message", "received"])
        try tip.ok(["check", "--server", story.address, "--org", story.fingerprint, "--codename-stdin", "--follow-up", "thanks"],
                   input: codename + "\n")
        // A private Tor keeps its folder under TMPDIR while tip runs; it goes
        // when tip ends (here at the timeout, as the machine has no network).
        let viaTor = try tip.run(["check", "--server", TorEndToEndTests.onion, "--org", story.fingerprint, "--codename-stdin",
                                  "--tor-timeout", "2"], input: codename + "\n", timeout: 30)
        #expect(viaTor.status == 3 && viaTor.stderr.contains("Tor did not connect"), "\(viaTor.stderr)")

        let after = snapshot([home, temp, work])
        #expect(before == after, "tip wrote: \(Set(after.keys).symmetricDifference(before.keys).sorted())")
        #expect(before.count == 1)
    }
}

/// "soft hard" of a running process's core-file size limit, from /proc.
func coreLimit(of pid: Int32) throws -> String {
    let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
    guard let line = limits.split(separator: "\n").first(where: { $0.hasPrefix("Max core file size") }) else {
        throw TestFailure("no core limit in /proc/\(pid)/limits")
    }
    let fields = line.dropFirst("Max core file size".count).split(separator: " ")
    return "\(fields[0]) \(fields[1])"
}
