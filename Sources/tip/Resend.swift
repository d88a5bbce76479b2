import ArgumentParser
import Foundation
import Glibc
import TiplineClient
import TiplineCommandLine
import TiplineCrypto

extension TipCommand {
    struct Resend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send again the files of your tip that did not arrive.",
            discussion: """
                When a connection broke while `tip submit` was sending a file, the tip itself had already arrived and \
                its codename was shown. `tip submit` names each file that did not arrive and prints this command for it. \
                tip asks for the codename without showing it, and sends each file again, to the same tip, under the key \
                the sealed tip already names (derived from the codename and the file's content), so give exactly the \
                files you attached. Files go up within the server's upload window (24 hours by default).

                Examples:
                  tip resend --server 127.0.0.1:7040 --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613 photo.jpg
                  tip resend --server 127.0.0.1:7040 --org 1B6-X4F-… --codename-stdin photo.jpg < codename.txt
                """)

        @OptionGroup var connection: ConnectionOptions

        @Option(help: ArgumentHelp("The organisation fingerprint you were given (11 groups of 3).", valueName: "fingerprint"))
        var org: String?

        @Flag(help: "Read the codename from the first line of standard input.")
        var codenameStdin = false

        @Flag(help: "Connect without a proxy to a non-loopback server, accepting that it sees your address.")
        var direct = false

        @OptionGroup var language: LanguageOption

        @Argument(help: ArgumentHelp("The files to send again.", valueName: "file"))
        var files: [String] = []

        func validate() throws {
            if files.isEmpty { throw ValidationError(L("error.noFiles")) }
        }

        func run() async throws {
            let interactive = !codenameStdin && isatty(0) == 1
            if interactive { TipLanguage.askIfUndecided() }
            // Every file is read and hashed before anything is asked or sent.
            let attachments = try files.map(AttachmentFile.init(path:))
            if !interactive, let org { _ = try Fingerprint(typed: org, from: "--org") }
            let keys = try CodenameEntry.keys(given: nil, fromStandardInput: codenameStdin)
            var session = TipsterConnection(options: connection, org: org, direct: direct, guided: interactive)
            let opened = try await session.open()
            var client = opened.client
            let missing = await FileUploads(guided: interactive).send(attachments, connection: &client, session: session) {
                file, connection, bar in
                try await TipSubmission.resend(file, keys: keys, over: connection, progress: { bar.update($0) })
                Console.error(L("resend.arrived", ["name": TerminalText.clean(file.name, newlines: false)]))
            }
            await client.close()
            if missing.isEmpty {
                Console.error(L("resend.allDone"))
                return
            }
            throw ExitCode(ToolFailure.Code.unreachable.rawValue)
        }
    }
}
