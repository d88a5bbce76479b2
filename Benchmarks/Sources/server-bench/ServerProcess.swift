import Foundation
import TiplineCrypto

/// The parent's handle on a ``ServerChild``: this executable re-run with
/// `--serve DIR`. A separate process gives the server its own VmHWM and CPU
/// time, and keeps the load generator's allocations out of its memory.
final class ServerProcess {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let port: Int
    /// The bundle the child published; envelopes are sealed to it.
    let bundle: SignedKeyBundle
    let probe: ProcessProbe
    private let process: Process
    private let input: Pipe
    private let output: Pipe
    private var pending = Data()

    init(directory: String) throws {
        let process = Process()
        guard let executable = Bundle.main.executablePath else { throw Failure(description: "cannot find this executable") }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--serve", directory]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()

        // Blocking reads are fine here: nothing is being measured yet.
        var buffer = Data()
        var port: Int?
        var bundle: SignedKeyBundle?
        for _ in 0..<2 {
            guard let line = try? Self.readLine(output, &buffer) else { break }
            if line.hasPrefix("port "), let value = Int(line.dropFirst(5)) {
                port = value
            } else if line.hasPrefix("bundle "), let bytes = Hex.decode(line.dropFirst(7)) {
                bundle = try? SignedKeyBundle(parsing: bytes)
            }
        }
        guard let port, let bundle else {
            // Closing its input makes a child that did start exit.
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
            throw Failure(description: "the server did not announce its port and a readable bundle")
        }
        self.port = port
        self.bundle = bundle
        self.process = process
        self.input = input
        self.output = output
        pending = buffer
        probe = ProcessProbe(pid: process.processIdentifier)
    }

    /// The store's group-commit counters so far: transactions committed and
    /// the writes they carried. Their differences over a measuring window
    /// give the rows per fsync the server achieved.
    func commitStatistics() throws -> (commits: Int, writes: Int) {
        input.fileHandleForWriting.write(Data("stats\n".utf8))
        let line = try Self.readLine(output, &pending)
        let words = line.split(separator: " ")
        guard words.count == 3, words[0] == "stats", let commits = Int(words[1]), let writes = Int(words[2]) else {
            throw Failure(description: "the server said '\(line)' instead of its statistics")
        }
        return (commits, writes)
    }

    var pid: Int32 { process.processIdentifier }

    /// Closes the child's standard input, which makes it exit, and waits.
    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    private static func readLine(_ pipe: Pipe, _ pending: inout Data) throws -> String {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending = Data(pending[pending.index(after: newline)...])
                return line
            }
            let chunk = pipe.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw Failure(description: "the server exited") }
            pending += chunk
        }
    }
}
