import Foundation

/// The parent's handle on a ``ServerChild``: this executable re-run with
/// `--serve STACK`. Separate processes give each server its own VmRSS and
/// CPU time, and keep the client's allocations out of the server's memory.
final class ServerProcess {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let stack: Stack
    let port: Int
    let probe: ProcessProbe
    private let process: Process
    private let input: Pipe

    init(_ stack: Stack) throws {
        let process = Process()
        guard let executable = Bundle.main.executablePath else { throw Failure(description: "cannot find this executable") }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--serve", stack.rawValue]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()

        // Blocking is fine here: nothing is being measured yet.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw Failure(description: "the \(stack.displayName) server exited before listening") }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("port "), let port = Int(text.dropFirst(5)) else {
            throw Failure(description: "the \(stack.displayName) server said '\(text)' instead of its port")
        }
        self.stack = stack
        self.port = port
        self.process = process
        self.input = input
        probe = ProcessProbe(pid: process.processIdentifier)
    }

    /// Closes the child's standard input, which makes it exit, and waits.
    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
