import Foundation
import Glibc

/// A built tool run on a pseudo-terminal, so that it believes a person is
/// typing: `expect` waits for text on the screen, `send` types.
final class PseudoTerminal: @unchecked Sendable {
    // @unchecked: driven by one test thread.
    private let master: Int32
    private let process = Process()
    private(set) var screen = ""
    /// Where the last match ended, in UTF-8 bytes: `expect` looks only
    /// after it, so that a prompt asked again is waited for, not found in the past.
    private var searchOffset = 0
    /// Bytes read that end in the middle of a character, kept for the next read.
    private var pending: [UInt8] = []
    var pid: Int32 { process.processIdentifier }

    init(_ tool: Tool, _ arguments: [String]) throws {
        var master: Int32 = -1, slave: Int32 = -1
        guard openpty(&master, &slave, nil, nil, nil) == 0 else { throw TestFailure("openpty failed") }
        self.master = master
        process.executableURL = URL(fileURLWithPath: tool.path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TIPLINE_") }
        env["NO_COLOR"] = "1"
        // English unless a test says otherwise: with a C locale tip would
        // open with its language menu.
        env["LANG"] = "en_GB.UTF-8"
        env["LC_ALL"] = nil
        env["LC_MESSAGES"] = nil
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
        while !found(text) {
            guard Date() < deadline else { throw TestFailure("timed out waiting for '\(text)'; screen:\n\(screen)") }
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 200) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = read(master, &buffer, buffer.count)
            if n <= 0 {
                guard found(text) else { throw TestFailure("the program ended before '\(text)'; screen:\n\(screen)") }
                break
            }
            take(buffer.prefix(n))
        }
    }

    /// Whether `text` is on the screen after the last match; moves past it.
    private func found(_ text: String) -> Bool {
        let tail = Substring(screen.utf8.dropFirst(searchOffset))
        guard let range = tail.range(of: text) else { return false }
        searchOffset = screen.utf8.distance(from: screen.startIndex, to: range.upperBound)
        return true
    }

    /// Adds bytes to the screen, holding back a character cut by the read.
    private func take(_ bytes: ArraySlice<UInt8>) {
        pending += bytes
        var end = pending.count
        // Back up over an unfinished multi-byte character at the end.
        for back in 1...min(3, pending.count) {
            let byte = pending[pending.count - back]
            if byte & 0xC0 == 0xC0 {
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                if back < length { end = pending.count - back }
                break
            }
            if byte & 0x80 == 0 { break }
        }
        screen += String(decoding: pending[..<end], as: UTF8.self)
        pending.removeFirst(end)
    }

    /// Types keys as they are, with no Enter: arrows, Ctrl-D, a half line.
    func type(_ keys: String) {
        let bytes = Array(keys.utf8)
        _ = write(master, bytes, bytes.count)
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
            take(buffer.prefix(n))
        }
        process.waitUntilExit()
        close(master)
        return process.terminationStatus
    }
}
