import ArgumentParser
import Glibc
import TiplineCommandLine
import TiplineCrypto

@main
struct TiplineServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tipline-server",
        abstract: "Runs a Tipline server: it stores sealed tips it cannot read.",
        discussion: """
            Examples:
              tipline-server init --data-dir /var/lib/tipline \\
                  --org-fingerprint 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613
              TIPLINE_PASSPHRASE_FILE=/run/secrets/tipline tipline-server serve --data-dir /var/lib/tipline --listen 127.0.0.1:7040
            """,
        subcommands: [Init.self, Serve.self])

    static func main() async {
        // Before anything else: a crash must never write keys to a core file.
        do {
            try ProcessHardening.disableCoreDumps()
        } catch {
            Console.error("tipline-server: \(error)")
            Glibc.exit(70)
        }
        do {
            var command = try parseAsRoot(ProcessArguments.arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
