import Foundation
import TiplineCrypto

/// The built `tipline-server` executable, driven as an operator would:
/// `init`, then `serve`, reading the "listening on" line for the port.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: the Process and pipe are touched only by the test that owns this object.
    static var binary: String {
        // The test bundle sits in the same build folder as the executables.
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("tipline-server").path
    }

    let dataDir: String
    let passphraseFile: String
    let logFile: String
    private(set) var process: Process?
    private(set) var port = 0
    var pid: Int32 { process?.processIdentifier ?? 0 }

    init(directory: String) {
        dataDir = directory + "/data"
        passphraseFile = directory + "/passphrase"
        logFile = directory + "/server.log"
        _ = FileManager.default.createFile(atPath: passphraseFile, contents: Data("a test passphrase\n".utf8),
                                       attributes: [.posixPermissions: 0o600])
        _ = FileManager.default.createFile(atPath: logFile, contents: Data())
    }

    /// `tipline-server init`; returns the server's identity key.
    func initialise(organisation: Fingerprint, powDifficulty: UInt8 = 2) throws -> SigningPublicKey {
        let output = try Self.run([ "init", "--data-dir", dataDir, "--org-fingerprint", organisation.description,
                                    "--passphrase-file", passphraseFile, "--insecure-fast-keystore", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: String]
        guard let hex = object?["serverKey"], let key = Hex.decode(hex).flatMap(SigningPublicKey.init(bytes:)) else {
            throw TestFailure("init printed no server key: \(output)")
        }
        // Low proof of work keeps debug-build tests quick; the default stays high.
        let settingsPath = dataDir + "/config.json"
        var settings = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: settingsPath))) as! [String: Any]
        settings["proofOfWorkDifficulty"] = Int(powDifficulty)
        try JSONSerialization.data(withJSONObject: settings).write(to: URL(fileURLWithPath: settingsPath))
        return key
    }

    /// `tipline-server serve` on 127.0.0.1 with a free port: by flags, or
    /// (with `useEnvironment`) by environment variables alone.
    ///
    /// `port` restarts a server where its clients (or a proxy) expect it.
    ///
    /// `extraEnvironment` is added to the server's (libfaketime's variables,
    /// to run it days ahead).
    func start(useEnvironment: Bool = false, port: Int = 0, extraEnvironment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        if !extraEnvironment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(extraEnvironment) { _, new in new }
        }
        if useEnvironment {
            process.arguments = ["serve"]
            var environment = ProcessInfo.processInfo.environment
            environment["TIPLINE_DATA_DIR"] = dataDir
            environment["TIPLINE_LISTEN"] = "127.0.0.1:\(port)"
            environment["TIPLINE_PASSPHRASE_FILE"] = passphraseFile
            environment["TIPLINE_LOG_LEVEL"] = "debug"
            process.environment = environment.merging(extraEnvironment) { _, new in new }
        } else {
            process.arguments = ["serve", "--data-dir", dataDir, "--listen", "127.0.0.1:\(port)", "--passphrase-file", passphraseFile,
                                 "--log-level", "debug"]
        }
        let stdout = Pipe()
        process.standardOutput = stdout
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        log.seekToEndOfFile()
        process.standardError = log
        try process.run()
        self.process = process
        // Read the "listening on HOST:PORT" line.
        var line = [UInt8]()
        let handle = stdout.fileHandleForReading
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty { break }
            if byte.first == 0x0A { break }
            line.append(contentsOf: byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("listening on "), let port = text.split(separator: ":").last.flatMap({ Int($0) }) else {
            throw TestFailure("the server did not start: '\(text)'")
        }
        self.port = port
    }

    /// SIGKILL: no chance to flush or clean up.
    func kill() {
        guard let process else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// SIGTERM without waiting: the server drains while the test watches.
    func signalTerminate() {
        process?.terminate()
    }

    /// Waits for a server told to stop; its exit status.
    func waitForExit() -> Int32 {
        guard let process else { return -1 }
        process.waitUntilExit()
        self.process = nil
        return process.terminationStatus
    }

    /// Changes one setting in the data directory's settings file (before `start`).
    func set(_ name: String, to value: Any) throws {
        let path = dataDir + "/config.json"
        var settings = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        settings[name] = value
        try JSONSerialization.data(withJSONObject: settings).write(to: URL(fileURLWithPath: path))
    }

    /// SIGTERM: graceful shutdown.
    func stop() {
        guard let process else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    /// Runs the binary and returns its exit status and standard error.
    static func runFailing(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("tipline-server \(arguments[0]) exited \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
