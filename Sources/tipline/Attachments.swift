import ArgumentParser
import TiplineClient
import TiplineCommandLine

extension TiplineCommand {
    struct Attachments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download, decrypt and verify a tip's attachments into a folder.",
            discussion: """
                The folder is created with mode 0700 and each file with 0600. A file that fails decryption or does
                not match the tipster's manifest is deleted and reported. Attachments are untrusted content: open
                them on an isolated machine.

                Example:
                  tipline attachments 3f9a --out ./case-3f9a
                """)

        @Argument(help: "The tip id or a unique prefix.")
        var id: String

        @Option(help: ArgumentHelp("The folder to write into.", valueName: "dir"))
        var out: String

        @OptionGroup var options: ResponderOptions

        @Flag(help: "Print the written paths as JSON.")
        var json = false

        func run() async throws {
            let workspace = try await options.openWorkspace()
            defer { Task { await workspace.connection.close() } }
            let tipCase = try workspace.find(id)
            let bars = BarSet()
            let paths = try await workspace.saveAttachments(tipCase, to: out) { name, done, total in
                bars.update(name, done, total)
            }
            bars.finishAll()
            if json {
                try Console.json(paths)
            } else if paths.isEmpty {
                Console.output("tip \(tipCase.id.prefix(8)) has no stored attachments")
            } else {
                for path in paths { Console.output("wrote \(TerminalText.clean(path, newlines: false)) (decrypted and verified)") }
            }
        }
    }
}
