import Foundation
import Testing

/// deploy/backup on a live server, then a restore from that backup: the
/// restored store serves the same tips and `tipline audit` accepts it.
@Suite(.serialized) struct DeployEndToEndTests {
    static var repository: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    @Test func aBackupRestoresToAStoreTheAuditAccepts() throws {
        let story = try StoryFixture(name: "backup")
        defer { story.tearDown() }
        _ = try story.submit("first tip before the backup")
        _ = try story.submit("second tip before the backup")
        let id = String((try story.inbox(as: "alice"))[0]["id"] as! String).prefix(8).description
        try story.tipline.ok(["triage", id, "--key", "alice.key", "--status", "verified"])

        // An online backup while the server runs, audited against the server.
        var backup = Tool(name: "tipline")
        // Remembered audit heads go to the story's folder, never the user's.
        backup.environment = ["TIPLINE_BIN": backup.path, "TIPLINE_AUDIT_ARGS": "--server \(story.address) --org \(story.fingerprint)",
                              "XDG_STATE_HOME": story.path("state")]
        let destination = story.path("backups")
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        let made = try Self.run(Self.repository + "/deploy/backup", [story.server.dataDir, destination], environment: backup.environment)
        #expect(made.status == 0, "\(made.stderr)")
        let file = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(FileManager.default.fileExists(atPath: file))
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // The backup is the database alone: the server's keystore, which the
        // data directory holds beside it, never goes with it.
        #expect(FileManager.default.fileExists(atPath: story.server.dataDir + "/server.key"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: destination) == [(file as NSString).lastPathComponent])

        // A tip after the backup, which the restore must not have.
        _ = try story.submit("third tip after the backup")

        // Restore: stop, replace the store (and its WAL), start, audit.
        story.server.stop()
        let database = story.server.dataDir + "/tipline.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        try FileManager.default.copyItem(atPath: file, toPath: database)
        try story.server.start()
        let address = "127.0.0.1:\(story.server.port)"
        let audit = try story.tipline.run(["audit", "--server", address, "--org", story.fingerprint, "--db", database])
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
        let inbox = try story.tipline.json(["inbox", "--server", address, "--key", "bob.key", "--cache", story.path("fresh-cache.sqlite"),
                                            "--json"]) as! [[String: Any]]
        #expect(Set(inbox.compactMap { $0["what"] as? String }) == ["first tip before the backup", "second tip before the backup"])
        #expect(inbox.contains { ($0["triage"] as? [String: Any])?["status"] as? String == "verified" })
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> Tool.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errData = Mutexed(Data())
        Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { usleep(1000) }
        return Tool.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                           stderr: String(decoding: errData.value, as: UTF8.self))
    }
}
