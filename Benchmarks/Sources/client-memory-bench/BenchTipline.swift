import Foundation

/// An organisation, a running `tipline-server` and one enrolled responder
/// (alice), made in a scratch directory by the release tools the way the
/// README tells an operator to, so that what is measured is what users run.
final class BenchTipline {
    let directory: String
    let fingerprint: String
    let address: String
    private let binDirectory: String
    private let environment: [String: String]
    private let server: ChildProcess

    /// `largestAttachment`: the largest plaintext size to be sent, in bytes;
    /// the server's attachment limit and staging quota are raised to take it.
    init(binDirectory: String, directory: String, largestAttachment: UInt64, moderateKeystore: Bool) throws {
        self.binDirectory = binDirectory
        self.directory = directory
        // A local copy: the closures below run before every property is set.
        let environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": directory,
            "XDG_CACHE_HOME": directory + "/cache",
            "XDG_STATE_HOME": directory + "/state",
            "TIPLINE_PASSPHRASE": "client-memory-bench passphrase",
            "NO_COLOR": "1",
        ]
        self.environment = environment
        let passphraseFile = directory + "/server-passphrase"
        guard FileManager.default.createFile(atPath: passphraseFile, contents: Data("client-memory-bench server\n".utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw BenchFailure("cannot write \(passphraseFile)")
        }

        func tool(_ name: String, _ arguments: [String]) throws -> ChildExit {
            try Self.run(binDirectory: binDirectory, name, arguments, environment: environment, outputs: directory,
                         timeout: .seconds(300))
        }
        func path(_ name: String) -> String { directory + "/" + name }
        let org = try tool("tipline", ["org", "init", "--out", path("org.key"), "--insecure-fast-keystore", "--json"])
        guard let fingerprint = (try? JSONSerialization.jsonObject(with: Data(org.stdout.utf8)) as? [String: Any])?["fingerprint"] as? String
        else { throw BenchFailure("tipline org init printed no fingerprint: \(org.stdout)") }
        self.fingerprint = fingerprint
        _ = try tool("tipline-server", ["init", "--data-dir", path("data"), "--org-fingerprint", fingerprint,
                                        "--passphrase-file", passphraseFile, "--insecure-fast-keystore"])
        // The default limit is 256 MiB of encrypted attachment; the stream
        // adds 17 bytes per 64 KiB chunk and a header, well under 1 MiB per GiB.
        let settingsPath = directory + "/data/config.json"
        guard var settings = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: settingsPath))) as? [String: Any]
        else { throw BenchFailure("\(settingsPath) is not a JSON object") }
        let limit = max(UInt64(256 << 20), largestAttachment + largestAttachment / 1024 + (1 << 20))
        settings["maximumAttachmentSize"] = limit
        settings["stagingQuota"] = max(UInt64(4) << 30, limit)
        // The proof of work costs time, not memory; a low difficulty keeps runs short.
        settings["proofOfWorkDifficulty"] = 8
        try JSONSerialization.data(withJSONObject: settings).write(to: URL(fileURLWithPath: settingsPath))

        let server = try ChildProcess(binDirectory + "/tipline-server",
                                      ["serve", "--data-dir", path("data"), "--listen", "127.0.0.1:0", "--passphrase-file", passphraseFile],
                                      environment: environment, outputs: directory)
        self.server = server
        var listening: String?
        let deadline = ContinuousClock.now + .seconds(30)
        while listening == nil && ContinuousClock.now < deadline {
            listening = server.output.split(separator: "\n").first { $0.hasPrefix("listening on ") }
                .map { String($0.dropFirst("listening on ".count)) }
            if listening == nil { usleep(50_000) }
        }
        guard let listening else {
            server.stop()
            throw BenchFailure("tipline-server did not say where it listens")
        }
        address = listening

        do {
            var responder = ["responder", "init", "--out", path("alice.key"), "--name", "alice"]
            if !moderateKeystore { responder.append("--insecure-fast-keystore") }
            _ = try tool("tipline", responder)
            _ = try tool("tipline", ["org", "enroll", "--org-key", path("org.key"), "--identity", path("alice.pub"),
                                     "--role", "admin", "--server-key", path("data/server.pub")])
            _ = try tool("tipline", ["org", "publish", "--org-key", path("org.key"), "--server", address])
        } catch {
            server.stop()
            throw error
        }
    }

    /// Runs `tool` (tip, tipline) and requires it to succeed; paths in `arguments` must be absolute.
    func run(_ tool: String, _ arguments: [String], timeout: Duration) throws -> ChildExit {
        try Self.run(binDirectory: binDirectory, tool, arguments, environment: environment, outputs: directory, timeout: timeout)
    }

    /// `name` inside the scratch directory.
    func path(_ name: String) -> String { directory + "/" + name }

    /// The ids of the tips alice's inbox lists.
    func tipIds() throws -> Set<String> {
        let inbox = try run("tipline", ["inbox", "--key", path("alice.key"), "--server", address, "--org", fingerprint, "--json"],
                            timeout: .seconds(300))
        guard let cases = try? JSONSerialization.jsonObject(with: Data(inbox.stdout.utf8)) as? [[String: Any]] else {
            throw BenchFailure("tipline inbox printed no list: \(inbox.stdout)")
        }
        return Set(cases.compactMap { $0["id"] as? String })
    }

    /// The server's peak resident memory so far (VmHWM), in KiB.
    var serverPeakResidentKiB: Int? { server.peakResidentKiBSoFar }

    func stop() { server.stop() }

    private static func run(binDirectory: String, _ tool: String, _ arguments: [String], environment: [String: String],
                            outputs: String, timeout: Duration) throws -> ChildExit {
        let child = try ChildProcess(binDirectory + "/" + tool, arguments, environment: environment, outputs: outputs)
        let exit = try child.wait(timeout: timeout)
        guard exit.status == 0 else {
            throw BenchFailure("\(tool) \(arguments.prefix(2).joined(separator: " ")) exited \(exit.status): \(exit.stderr)")
        }
        return exit
    }
}
