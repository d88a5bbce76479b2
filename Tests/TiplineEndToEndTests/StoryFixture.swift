import Foundation
import TiplineCrypto

/// An organisation, a running server and two responders, all made with the
/// built executables, exactly as the README tells a new user to.
final class StoryFixture: @unchecked Sendable {
    // @unchecked: used by one test at a time.
    let directory: String
    let server: ServerProcess
    let fingerprint: String
    var tipline: Tool
    var tip: Tool

    /// `rotate`: the responders who make their first receiving key at once.
    init(name: String, rotate: [String] = ["alice", "bob"]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let environment = ["TIPLINE_PASSPHRASE": "a story passphrase", "XDG_CACHE_HOME": directory + "/cache", "HOME": directory]
        tipline = Tool(name: "tipline", environment: environment, directory: directory)
        tip = Tool(name: "tip", environment: [:], directory: directory)

        // 1. The organisation, the server, and two responders.
        let org = try tipline.json(["org", "init", "--out", "org.key", "--insecure-fast-keystore", "--json"]) as! [String: String]
        fingerprint = org["fingerprint"]!
        server = ServerProcess(directory: directory)
        _ = try server.initialise(organisation: try Fingerprint(parsing: fingerprint))
        for name in ["alice", "bob"] {
            try tipline.ok(["responder", "init", "--out", "\(name).key", "--name", name, "--insecure-fast-keystore"])
        }
        // 2. Enroll both, publish.
        try tipline.ok(["org", "enroll", "--org-key", "org.key", "--identity", "alice.pub", "--role", "admin",
                        "--server-key", server.dataDir + "/server.pub"])
        try tipline.ok(["org", "enroll", "--org-key", "org.key", "--identity", "bob.pub"])
        try server.start()
        tipline.environment["TIPLINE_SERVER"] = address
        tipline.environment["TIPLINE_ORG"] = fingerprint
        try tipline.ok(["org", "publish", "--org-key", "org.key"])
        // 3. Each responder's first receiving key: under the standard policy a
        //    tip goes only to responders who have one (issue 15).
        for name in rotate { try tipline.ok(["keys", "rotate", "--key", "\(name).key"]) }
    }

    var address: String { "127.0.0.1:\(server.port)" }

    /// `tip submit`, non-interactively; returns the codename.
    func submit(_ message: String, attachments: [String] = [], extra: [String] = []) throws -> String {
        var arguments = ["submit", "--server", address, "--org", fingerprint, "--message", message, "--json"] + extra
        for file in attachments { arguments += ["--attach", file] }
        let result = try tip.json(arguments) as! [String: Any]
        return result["codename"] as! String
    }

    /// The inbox as alice or bob sees it.
    func inbox(as responder: String) throws -> [[String: Any]] {
        try tipline.json(["inbox", "--key", "\(responder).key", "--json"]) as! [[String: Any]]
    }

    func path(_ name: String) -> String { directory + "/" + name }

    func tearDown() {
        server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
