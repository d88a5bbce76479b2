import Foundation

/// A built command-line tool (`tip`, `tipline`), run as a user would run it:
/// arguments, environment, standard input; exit status and both outputs back.
struct Tool {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        /// Ended by a signal (a trap, an abort), not by exiting.
        var crashed = false
        /// Killed by `run` because it outlived its timeout.
        var timedOut = false
    }

    let name: String
    var environment: [String: String] = [:]
    var directory: String?

    var path: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Runs to completion; stdin is `input` (or empty, never a terminal).
    /// With a `timeout` (seconds), a tool still running then is killed and
    /// its result says so.
    @discardableResult
    func run(_ arguments: [String], input: String? = nil, extraEnvironment: [String: String] = [:],
             timeout: Double? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = processEnvironment(extraEnvironment)
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe(), inp = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inp
        try process.run()
        if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
        try inp.fileHandleForWriting.close()
        // Read both pipes concurrently so neither can fill up and block the child.
        let errData = Mutexed(Data())
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let timedOut = Mutexed(false)
        if let timeout {
            let pid = process.processIdentifier
            let finished = Mutexed(false)
            Thread {
                let deadline = Date().addingTimeInterval(timeout)
                while Date() < deadline, !finished.isSet { usleep(20_000) }
                if !finished.isSet { timedOut.set(true); kill(pid, SIGKILL) }
            }.start()
            defer { finished.set(true) }
            let outData = out.fileHandleForReading.readDataToEndOfFile()
            return finish(process, outData, errData, timedOut.value)
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        return finish(process, outData, errData, false)
    }

    /// The environment the tool runs with: the test's own without any
    /// TIPLINE_ setting, then this tool's, then `extra`.
    func processEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TIPLINE_") }
        env["NO_COLOR"] = "1"
        // Remembered audit heads go to the test's folder, never the user's.
        if let directory { env["XDG_STATE_HOME"] = directory + "/state" }
        env.merge(environment) { $1 }
        env.merge(extra) { $1 }
        return env
    }

    private func finish(_ process: Process, _ outData: Data, _ errData: Mutexed<Data>, _ timedOut: Bool) -> Result {
        process.waitUntilExit()
        while !errData.isSet { usleep(1000) }
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.value, as: UTF8.self),
                      crashed: process.terminationReason == .uncaughtSignal && !timedOut, timedOut: timedOut)
    }

    /// Runs and requires exit 0, returning stdout.
    @discardableResult
    func ok(_ arguments: [String], input: String? = nil, extraEnvironment: [String: String] = [:]) throws -> String {
        let result = try run(arguments, input: input, extraEnvironment: extraEnvironment)
        guard result.status == 0 else {
            throw TestFailure("\(name) \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.stdout
    }

    func json(_ arguments: [String], input: String? = nil) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try ok(arguments, input: input).utf8))
    }
}

/// A value written once by another thread.
final class Mutexed<T>: @unchecked Sendable {
    // @unchecked: guarded by the lock.
    private let lock = NSLock()
    private var stored: T
    private var written = false
    init(_ value: T) { stored = value }
    func set(_ value: T) { lock.lock(); stored = value; written = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return written }
    var value: T { lock.lock(); defer { lock.unlock() }; return stored }
}
