import Foundation
import Testing
import TiplineProto
import TiplineRPC
import TiplineTestSupport

/// Issue 12, server → client, through the built `tip` and `tipline`: a
/// hostile server (TiplineTestSupport.HostileServer) passes the real
/// organisation bundle through, so every command gets past its signature
/// check, and then answers every other method either with every integer field
/// set to an extreme value or with a failure whose message is a catalogue of
/// terminal attacks. Every command must end with an exit status and a clear
/// error: no trap, no "Fatal error", and nothing raw on the terminal, in its
/// error messages and in the audit report alike.
@Suite(.serialized) struct HostileServerEndToEndTests {
    static let extremes: [UInt64] = [0, 1 << 31, UInt64(Int64.max), 1 << 63, UInt64.max]

    /// A story with one tip in alice's cache, so that `show`, `triage`,
    /// `reply` and `attachments` act on a real case while they talk to the
    /// hostile server.
    struct Setting {
        let story: StoryFixture
        let codename: String
        let id: String
    }

    static func setting(_ name: String) throws -> Setting {
        let story = try StoryFixture(name: name)
        _ = FileManager.default.createFile(atPath: story.path("evidence.bin"), contents: Data(repeating: 9, count: 3000))
        let codename = try story.submit("A tip before the server turned", attachments: ["evidence.bin"])
        try story.tipline.ok(["inbox", "--key", "alice.key", "--cache", "real.cache"])
        let inbox = try story.tipline.json(["inbox", "--key", "alice.key", "--cache", "real.cache", "--json"]) as! [[String: Any]]
        let id = String((inbox[0]["id"] as! String).prefix(8))
        return Setting(story: story, codename: codename, id: id)
    }

    /// Every command a tipster, a responder and an auditor runs against a server.
    static func commands(_ setting: Setting, server: String, round: Int) -> [(tool: String, arguments: [String], input: String?)] {
        let fingerprint = setting.story.fingerprint
        let cache = "hostile-\(round).cache"
        let responder = ["--server", server, "--key", "alice.key", "--cache", cache]
        return [
            ("tip", ["submit", "--server", server, "--org", fingerprint, "--message", "x"], nil),
            ("tip", ["submit", "--server", server, "--org", fingerprint, "--message", "x", "--json"], nil),
            ("tip", ["check", "--server", server, "--org", fingerprint, "--codename-stdin"], setting.codename + "\n"),
            ("tip", ["check", "--server", server, "--org", fingerprint, "--codename-stdin", "--json", "--follow-up", "more"],
             setting.codename + "\n"),
            ("tipline", ["inbox"] + responder, nil),
            ("tipline", ["inbox", "--json"] + responder, nil),
            ("tipline", ["show", setting.id] + responder, nil),
            ("tipline", ["show", setting.id, "--json"] + responder, nil),
            ("tipline", ["attachments", setting.id, "--out", "saved-\(round)"] + responder, nil),
            ("tipline", ["triage", setting.id, "--status", "closed"] + responder, nil),
            ("tipline", ["reply", setting.id, "--message", "hi"] + responder, nil),
            ("tipline", ["export", "--out", "export-\(round)"] + responder, nil),
            ("tipline", ["audit", "--server", server, "--org", fingerprint], nil),
            ("tipline", ["audit", "--server", server, "--org", fingerprint, "--json"], nil),
            ("tipline", ["org", "show", "--server", server, "--org", fingerprint], nil),
        ]
    }

    /// Runs every command against `server`; each gets a copy of alice's real cache.
    static func runAll(_ setting: Setting, server: String, round: Int) throws -> [(String, Tool.Result)] {
        let story = setting.story
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: story.path("real.cache" + suffix)) {
            try? FileManager.default.removeItem(atPath: story.path("hostile-\(round).cache" + suffix))
            try FileManager.default.copyItem(atPath: story.path("real.cache" + suffix), toPath: story.path("hostile-\(round).cache" + suffix))
        }
        var results: [(String, Tool.Result)] = []
        for command in commands(setting, server: server, round: round) {
            let tool = command.tool == "tip" ? story.tip : story.tipline
            // A hostile server must not hold a command forever either.
            let result = try tool.run(command.arguments, input: command.input, timeout: 60)
            results.append(("\(command.tool) \(command.arguments.prefix(2).joined(separator: " "))", result))
        }
        return results
    }

    @Test func extremeIntegersFromAServerCrashNoCommand() async throws {
        let setting = try Self.setting("hostile-integers")
        defer { setting.story.tearDown() }
        for (round, value) in Self.extremes.enumerated() {
            let hostile = try await HostileServer.start(.extremeIntegers(value), passThrough: [TiplineMethod.getBundle, TiplineMethod.listBundles],
                                                        upstreamPort: setting.story.server.port)
            let results = try Self.runAll(setting, server: "127.0.0.1:\(hostile.port)", round: round)
            await hostile.shutdown()
            for (name, result) in results {
                let output = result.stdout + result.stderr
                #expect(!result.crashed && !result.timedOut && (0...10).contains(result.status),
                        "\(name) against \(value): status \(result.status), crashed \(result.crashed): \(result.stderr)")
                #expect(!output.contains("Fatal error") && !output.contains("Stack dump"), "\(name) against \(value): \(output)")
                HostileTextEndToEndTests.expectClean(output, "\(name) against \(value)")
            }
        }
        // The real server, and alice's real cache, are untouched.
        let inbox = try setting.story.tipline.json(["inbox", "--key", "alice.key", "--cache", "real.cache", "--json"]) as! [[String: Any]]
        #expect(inbox.count == 1 && (inbox[0]["triage"] as? [String: Any])?["status"] as? String == "new", "\(inbox)")
    }

    /// A server's error message is a stranger's text: every command prints it
    /// escaped, never raw, and the audit report does too.
    @Test func errorMessagesFromAServerReachNoTerminalRaw() async throws {
        let setting = try Self.setting("hostile-errors")
        defer { setting.story.tearDown() }
        let message = "Audit OK\n" + HostileTextEndToEndTests.payloads.joined(separator: "\n")
        for (round, status) in [RPCStatus.internal, .unavailable, .permissionDenied].enumerated() {
            let hostile = try await HostileServer.start(.failure(status, message), passThrough: [TiplineMethod.getBundle, TiplineMethod.listBundles],
                                                        upstreamPort: setting.story.server.port)
            let results = try Self.runAll(setting, server: "127.0.0.1:\(hostile.port)", round: round)
            await hostile.shutdown()
            var shownEscaped = 0
            for (name, result) in results {
                let output = result.stdout + result.stderr
                // `org show` needs only the bundle, which the real server gave.
                let failed = name.hasPrefix("tipline org") ? result.status == 0 : result.status != 0
                #expect(!result.crashed && !result.timedOut && failed,
                        "\(name) against a failing server (\(status)): status \(result.status): \(result.stderr)")
                HostileTextEndToEndTests.expectClean(output, "\(name) against a failing server (\(status))")
                if output.contains("␛[2J") || output.contains("\\u{1B}[2J") || output.contains("\\u001b[2J") { shownEscaped += 1 }
            }
            // The message reaches the person (escaped) rather than being swallowed everywhere.
            #expect(shownEscaped > 0, "no command showed the server's message, escaped")
        }
    }
}
