import ArgumentParser
import Foundation
import TiplineCrypto

@main
struct TiplineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tipline",
        abstract: "Tipline's tool for responders and auditors.",
        discussion: """
            Example:
              tipline audit --server 127.0.0.1:7040 --org 1B6X-4F2R-QZ7M-0K9D-TW3H-8N5C-PAV2-GE61
            """,
        subcommands: [Audit.self])

    static func main() async {
        // Before anything else: a crash must never write keys to a core file.
        do {
            try ProcessHardening.disableCoreDumps()
        } catch {
            FileHandle.standardError.write(Data("tipline: \(error)\n".utf8))
            Foundation.exit(70)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // Usage errors exit 2, not ArgumentParser's 64: `tipline audit`
            // keeps 1 for "a check failed" and 3 for "server unreachable".
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
