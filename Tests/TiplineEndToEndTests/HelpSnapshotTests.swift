import Foundation
import Testing

/// Every command's --help, compared with the snapshot committed beside this
/// file, so that a change to what users read is always a reviewed change.
/// `TIPLINE_UPDATE_SNAPSHOTS=1 swift test --filter HelpSnapshotTests` rewrites them.
// Serialized: its cases launch processes, and concurrent launches leak
// descriptors between children (see the Makefile).
@Suite(.serialized) struct HelpSnapshotTests {
    static let commands: [[String]] = [
        ["tip"], ["tip", "submit"], ["tip", "check"], ["tip", "resend"], ["tip", "verify-release"],
        ["tipline"], ["tipline", "org"], ["tipline", "org", "init"], ["tipline", "org", "enroll"], ["tipline", "org", "revoke"],
        ["tipline", "org", "policy"], ["tipline", "keys"], ["tipline", "keys", "list"], ["tipline", "keys", "rotate"],
        ["tipline", "org", "publish"], ["tipline", "org", "show"], ["tipline", "org", "sign-release"], ["tipline", "responder", "init"], ["tipline", "inbox"],
        ["tipline", "show"], ["tipline", "triage"], ["tipline", "reply"], ["tipline", "attachments"], ["tipline", "export"], ["tipline", "audit"],
        ["tipline-server"], ["tipline-server", "init"], ["tipline-server", "serve"],
    ]

    static var folder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("HelpSnapshots").path
    }

    @Test(arguments: commands) func helpMatchesSnapshot(_ command: [String]) throws {
        let tool = Tool(name: command[0], environment: ["COLUMNS": "100"])
        let result = try tool.run(Array(command.dropFirst()) + ["--help"])
        #expect(result.status == 0)
        let path = Self.folder + "/" + command.joined(separator: "-") + ".txt"
        if ProcessInfo.processInfo.environment["TIPLINE_UPDATE_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(atPath: Self.folder, withIntermediateDirectories: true)
            try Data(result.stdout.utf8).write(to: URL(fileURLWithPath: path))
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(result.stdout == expected, "help for \(command.joined(separator: " ")) changed; review and update the snapshot")
        // Every command shows an example.
        #expect(result.stdout.contains("Example"),
                "no example in \(command.joined(separator: " ")) --help")
    }
}
