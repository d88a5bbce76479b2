import Foundation
import Testing
import TiplineCrypto
import TiplineTestSupport

/// Issue 14's worst finding: a connection that dropped during an attachment
/// upload cost the tipster their codename, although the tip was stored. Here
/// the link drops, the server is killed, and the server is stopped, each in
/// the middle of an upload that goes through a slow proxy (a slow Tor
/// circuit), and the tipster never loses the codename or the file.
@Suite(.serialized) struct ResumeEndToEndTests {
    /// 2 MiB at 1 MiB/s: about two seconds on the way, time enough to act.
    static let fileSize = 2 << 20
    static let rate = 1 << 20

    func makeFile(_ story: StoryFixture, _ name: String) -> Data {
        var bytes = [UInt8](repeating: 0, count: Self.fileSize)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13) }
        let data = Data(bytes)
        _ = FileManager.default.createFile(atPath: story.path(name), contents: data)
        return data
    }

    /// The codename on the screen, as soon as it is there.
    func codename(on terminal: PseudoTerminal) throws -> String {
        try terminal.expect("Your codename:")
        try terminal.expect("Now sending your files")
        return try #require(terminal.screen.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .first { (try? Codename(parsing: $0)) != nil })
    }

    /// What alice downloads of the tip's attachments.
    func downloaded(_ story: StoryFixture, _ name: String) throws -> Data? {
        let id = String((try story.inbox(as: "alice"))[0]["id"] as! String).prefix(8).description
        let out = story.path("out-\(UUID().uuidString)")
        try story.tipline.ok(["attachments", id, "--key", "alice.key", "--out", out])
        let saved = try FileManager.default.contentsOfDirectory(atPath: out)
        guard saved.count == 1, saved[0].contains(name) else { throw TestFailure("saved \(saved), wanted one \(name)") }
        return FileManager.default.contents(atPath: out + "/" + saved[0])
    }

    @Test func aDroppedLinkIsRetriedOnANewConnectionAndTheFileArrives() async throws {
        let story = try StoryFixture(name: "drop")
        defer { story.tearDown() }
        let content = makeFile(story, "video.bin")
        let port = story.server.port
        let proxy = try await TestSOCKSProxy.start(bytesPerSecond: Self.rate) { _ in ("127.0.0.1", port) }
        defer { Task { await proxy.stop() } }
        let terminal = try PseudoTerminal(story.tip, ["submit", "--server", story.address, "--proxy", "socks5://127.0.0.1:\(proxy.port)",
                                                      "--org", story.fingerprint, "--message", "the video", "--attach", "video.bin"])
        let shown = try codename(on: terminal)
        try terminal.expect("Sending video.bin")
        await proxy.dropConnections()
        try terminal.expect("The connection was lost while sending video.bin.")
        try terminal.expect("your codename above is valid")
        try terminal.expect("All your files have arrived: 1.", timeout: 60)
        #expect(terminal.wait() == 0, "\(terminal.screen)")
        #expect(try downloaded(story, "video.bin") == content)
        // The codename shown first is the tip's: it reads the mailbox.
        try story.tip.ok(["check", "--server", story.address, "--org", story.fingerprint, "--codename-stdin"], input: shown + "\n")
    }

    @Test func aKilledServerLeavesACodenameAndOneCommandThatSendsTheFileLater() async throws {
        let story = try StoryFixture(name: "killed")
        defer { story.tearDown() }
        let content = makeFile(story, "ledger.bin")
        let port = story.server.port
        let proxy = try await TestSOCKSProxy.start(bytesPerSecond: Self.rate) { _ in ("127.0.0.1", port) }
        defer { Task { await proxy.stop() } }
        let via = ["--server", story.address, "--proxy", "socks5://127.0.0.1:\(proxy.port)", "--org", story.fingerprint]
        // Guided: the tipster is asked whether to try again, and says no.
        let terminal = try PseudoTerminal(story.tip, ["submit"] + via + ["--interactive", "--message", "the ledger",
                                                                         "--where", "-", "--when", "-", "--contact", "-",
                                                                         "--attach", "ledger.bin"])
        try terminal.expect("drag it here")
        terminal.send("")
        try terminal.expect("Send it now?")
        terminal.send("y")
        let shown = try codename(on: terminal)
        try terminal.expect("Sending ledger.bin")
        story.server.kill()
        try terminal.expect("Try sending the file again?", timeout: 60)
        terminal.send("n")
        try terminal.expect("These files did not arrive:")
        try terminal.expect("tip resend")
        #expect(terminal.wait() == 3, "\(terminal.screen)")
        // The printed command, with the codename typed: the file arrives.
        let command = try #require(terminal.screen.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("tip resend ") })
        #expect(command.contains("ledger.bin") && command.contains(story.fingerprint))
        try story.server.start(port: port)
        try story.tip.ok(["resend"] + via + ["--codename-stdin", story.path("ledger.bin")], input: shown + "\n")
        #expect(try downloaded(story, "ledger.bin") == content)
        // A second resend has no slot left, and says so.
        let again = try story.tip.run(["resend"] + via + ["--codename-stdin", story.path("ledger.bin")], input: shown + "\n")
        #expect(again.status != 0 && again.stderr.contains("have already arrived"), "\(again.stderr)")
        // Another codename opens nothing.
        let stranger = try story.tip.run(["resend"] + via + ["--codename-stdin", story.path("ledger.bin")],
                                         input: Codename().revealed() + "\n")
        #expect(stranger.status != 0 && stranger.stderr.contains("No tip has this codename"), "\(stranger.stderr)")
    }

    @Test func sigtermLetsAnUploadInFlightFinishBeforeTheServerExits() async throws {
        let story = try StoryFixture(name: "sigterm")
        defer { story.tearDown() }
        let content = makeFile(story, "photo.bin")
        let port = story.server.port
        let proxy = try await TestSOCKSProxy.start(bytesPerSecond: Self.rate) { _ in ("127.0.0.1", port) }
        defer { Task { await proxy.stop() } }
        let terminal = try PseudoTerminal(story.tip, ["submit", "--server", story.address, "--proxy", "socks5://127.0.0.1:\(proxy.port)",
                                                      "--org", story.fingerprint, "--message", "the photo", "--attach", "photo.bin"])
        _ = try codename(on: terminal)
        try terminal.expect("Sending photo.bin")
        let stopping = Date()
        story.server.signalTerminate()
        // The upload finishes on the connection it started on; no retry.
        try terminal.expect("All your files have arrived: 1.", timeout: 30)
        #expect(terminal.wait() == 0, "\(terminal.screen)")
        #expect(!terminal.screen.contains("connection was lost"), "\(terminal.screen)")
        // The server exits once the call is done, within the grace period, and cleanly.
        #expect(story.server.waitForExit() == 0)
        #expect(Date().timeIntervalSince(stopping) < 30)
        try story.server.start(port: port)
        #expect(try downloaded(story, "photo.bin") == content)
    }
}
