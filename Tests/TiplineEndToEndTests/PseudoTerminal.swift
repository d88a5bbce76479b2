import Foundation
import Glibc

/// A built tool run on a pseudo-terminal, so that it believes a person is
/// typing: `expect` waits for text on the screen, `send` types.
final class PseudoTerminal: @unchecked Sendable {
    // @unchecked: driven by one test thread.
    private let master: Int32
    private let process = Process()
    private(set) var screen = ""
    var pid: Int32 { process.processIdentifier }

    init(_ tool: Tool, _ arguments: [String]) throws {
        var master: Int32 = -1, slave: Int32 = -1
        guard openpty(&master, &slave, nil, nil, nil) == 0 else { throw TestFailure("openpty failed") }
        self.master = master
        process.executableURL = URL(fileURLWithPath: tool.path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TIPLINE_") }
        env["NO_COLOR"] = "1"
        env.merge(tool.environment) { $1 }
        process.environment = env
        if let directory = tool.directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        close(slave)
    }

    /// Reads until `text` has appeared on the screen since the last match.
    func expect(_ text: String, timeout: TimeInterval = 30) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !screen.contains(text) {
            guard Date() < deadline else { throw TestFailure("timed out waiting for '\(text)'; screen:\n\(screen)") }
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 200) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = read(master, &buffer, buffer.count)
            if n <= 0 {
                guard screen.contains(text) else { throw TestFailure("the program ended before '\(text)'; screen:\n\(screen)") }
                break
            }
            screen += String(decoding: buffer.prefix(n), as: UTF8.self)
        }
    }

    func send(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = write(master, bytes, bytes.count)
    }

    /// Waits for the program to exit and returns its status.
    func wait() -> Int32 {
        // Drain the screen so the program never blocks on a full terminal.
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { break }
            screen += String(decoding: buffer.prefix(n), as: UTF8.self)
        }
        process.waitUntilExit()
        close(master)
        return process.terminationStatus
    }
}
