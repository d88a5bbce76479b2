import ArgumentParser
import Foundation
import TiplineClient
import TiplineCommandLine

extension TiplineCommand {
    struct Reply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reply to a tip's tipster. They read it with tip check and their codename.",
            discussion: """
                The reply is sealed to the tipster's reply key and to every responder, and signed with your key.

                Examples:
                  tipline reply 3f9a --message "Thank you. Are you somewhere safe now?"
                  tipline reply 3f9a --message-file reply.txt
                """)

        @Argument(help: "The tip id or a unique prefix.")
        var id: String

        @Option(help: "The reply.")
        var message: String?

        @Option(help: ArgumentHelp("Read the reply from this file ('-' for standard input).", valueName: "file"))
        var messageFile: String?

        @OptionGroup var options: ResponderOptions

        func validate() throws {
            guard (message == nil) != (messageFile == nil) else { throw ValidationError("give --message or --message-file") }
        }

        func run() async throws {
            let text: String
            if let message {
                text = message
            } else {
                let data = messageFile == "-" ? FileHandle.standardInput.readDataToEndOfFile()
                    : try Data(contentsOf: URL(fileURLWithPath: messageFile!))
                text = String(decoding: data, as: UTF8.self)
            }
            let workspace = try await options.openWorkspace()
            defer { Task { await workspace.connection.close() } }
            let tipCase = try workspace.find(id)
            _ = try await workspace.reply(tipCase, text: text)
            Console.output("reply sent to the tipster of \(tipCase.id.prefix(8))")
        }
    }
}
