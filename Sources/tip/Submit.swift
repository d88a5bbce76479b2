import ArgumentParser
import Foundation
import Glibc
import TiplineClient
import TiplineCommandLine
import TiplineCrypto

extension TipCommand {
    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a tip. Prints the codename that lets you read replies later.",
            discussion: """
                Without --message or --message-file, and at a terminal, tip asks you what happened, where, when,
                and how you may be contacted, then shows a summary and the organisation fingerprint before sending.
                With text on standard input, it sends that text.

                Examples:
                  tip submit --server 127.0.0.1:7040 --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613
                  tip submit --server tipline.example.onion:7040 --proxy socks5://127.0.0.1:9050 \\
                      --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613 --message "What I saw…" --attach photo.jpg
                  echo "What I saw…" | tip submit --server 127.0.0.1:7040 --org 1B6-X4F-… --json
                """)

        @OptionGroup var connection: ConnectionOptions

        @Option(help: ArgumentHelp("The organisation fingerprint you were given (11 groups of 3), to check the server's keys against.",
                                   valueName: "fingerprint"))
        var org: String

        @Option(help: "What happened.")
        var message: String?

        @Option(help: ArgumentHelp("Read what happened from this file ('-' for standard input).", valueName: "file"))
        var messageFile: String?

        @Option(name: .customLong("where"), help: "Where it happened.")
        var place: String = ""

        @Option(name: .customLong("when"), help: "When it happened.")
        var time: String = ""

        @Option(help: "Whether and how you may be contacted, beyond replies to your codename.")
        var contact: String = ""

        @Option(name: .customLong("attach"), help: ArgumentHelp("A file to attach (repeat for more).", valueName: "file"))
        var attachments: [String] = []

        @Flag(help: "Ask the questions even when options are given.")
        var interactive = false

        @Flag(help: "Connect without a proxy to a non-loopback server, accepting that it sees your address.")
        var direct = false

        @Flag(help: "Print the result as JSON.")
        var json = false

        func validate() throws {
            if message != nil && messageFile != nil { throw ValidationError("give --message or --message-file, not both") }
        }

        func run() async throws {
            // A typo in the fingerprint is caught before any question is asked or anything sent.
            let pinned = try TipsterConnection.pinned(org)
            let guided = interactive || (message == nil && messageFile == nil && isatty(0) == 1)
            var draft = try guided ? askForDraft() : draftFromOptions()
            draft.attachments = try (guided ? draft.attachments.map(\.path) : attachments).map(AttachmentFile.init(path:))
            // Sizes are checked here, before any connection or proof of work.
            draft = try draft.preparedForSending()

            try TipsterConnection.checkRoute(connection, direct: direct, interactive: guided)
            let client = try await connection.connect()
            defer { Task { await client.close() } }
            let bundle = try await TipsterConnection.bundle(over: client, pinned: pinned)

            if guided {
                showSummary(draft, bundle: bundle)
                guard Prompt.confirm("Send this tip now?") else { throw ToolFailure(.failure, "not sent") }
            }

            let work = ProgressDisplay("Proof of work (keeps the line free of floods)", total: 1_000, unit: .attempts)
            var uploads: [ObjectIdentifier: ProgressDisplay] = [:]
            for file in draft.attachments {
                let title = file.isText ? "Sending the rest of your text" : "Sending \(file.name)"
                uploads[ObjectIdentifier(file)] = ProgressDisplay(title, total: file.encryptedSize, unit: .bytes)
            }
            let bars = uploads
            var workShown = false
            let sent = try await TipSubmission.submit(draft, bundle: bundle, over: client, proofOfWorkProgress: { done, expected in
                workShown = true
                work.update(min(done * 1_000 / max(expected, 1), 999))
                return true
            }, tipAcknowledged: { if workShown { work.finish() } },
               uploadProgress: { file, sent in bars[ObjectIdentifier(file)]?.update(sent) },
               uploadFinished: { file in bars[ObjectIdentifier(file)]?.finish() })
            report(sent, pinned: pinned)
        }

        private func draftFromOptions() throws -> TipDraft {
            var text = message
            if let messageFile {
                let data = messageFile == "-" ? FileHandle.standardInput.readDataToEndOfFile()
                    : try Data(contentsOf: URL(fileURLWithPath: messageFile))
                text = String(decoding: data, as: UTF8.self)
            } else if text == nil {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            }
            return TipDraft(what: text ?? "", place: place, time: time, contact: contact)
        }

        private func askForDraft() throws -> TipDraft {
            Console.error(Console.bold("Your tip is encrypted on this device before it is sent. Leave out anything you are not sure of."))
            let what = message ?? Prompt.paragraph("What happened?")
            let place = place.isEmpty ? (Prompt.line("Where did it happen? ") ?? "") : place
            let time = time.isEmpty ? (Prompt.line("When did it happen? ") ?? "") : time
            let contact = contact.isEmpty
                ? (Prompt.line("May responders contact you other than through your codename? If so, how? ") ?? "") : contact
            var files = attachments
            while let path = Prompt.line("File to attach (press Enter for none/no more): "), !path.isEmpty {
                files.append(path)
            }
            var draft = TipDraft(what: what, place: place, time: time, contact: contact)
            draft.attachments = try files.map(AttachmentFile.init(path:))
            return draft
        }

        private func showSummary(_ draft: TipDraft, bundle: KeyBundle) {
            Console.error("")
            Console.error(Console.bold("Summary"))
            Console.error("  what:     \(oneLine(draft.what.split(whereSeparator: \.isNewline).first ?? ""))\(draft.what.contains("\n") ? " …" : "")")
            if !draft.place.isEmpty { Console.error("  where:    \(oneLine(draft.place))") }
            if !draft.time.isEmpty { Console.error("  when:     \(oneLine(draft.time))") }
            if !draft.contact.isEmpty { Console.error("  contact:  \(oneLine(draft.contact))") }
            for file in draft.attachments {
                Console.error(file.isText ? "  length:   \(ProgressDisplay.size(file.size)) of text, sent as an attachment"
                              : "  attach:   \(oneLine(file.name)) (\(ProgressDisplay.size(file.size)))")
            }
            Console.error("")
            Console.error("  Sealed for \(bundle.responders.count) responder(s) of the organisation with fingerprint")
            Console.error("  " + Console.bold(bundle.organisationFingerprint.description))
            Console.error("  Compare it with the fingerprint you were given. If they differ, do not send.")
            Console.error("")
        }

        /// The `tip check` that reaches the same server the same way, with the
        /// options this submit was given (the environment supplies the rest).
        private func checkCommand(pinned: Fingerprint) -> String {
            var words = ["tip", "check"]
            words += connection.commandWords
            words += ["--org", pinned.description]
            if direct { words.append("--direct") }
            return words.joined(separator: " ")
        }

        private func report(_ sent: SubmittedTip, pinned: Fingerprint) {
            let codename = sent.codename.revealed()
            if json {
                struct Result: Encodable {
                    let codename: String
                    let attachments: Int
                    let receivedAt: UInt64
                }
                try? Console.json(Result(codename: codename, attachments: sent.attachmentsSent, receivedAt: sent.receivedAt))
                return
            }
            Console.output("""

            Your tip was received\(sent.attachmentsSent > 0 ? " with \(sent.attachmentsSent) attachment(s)" : "").

            Your codename:

                \(Console.bold(codename))

            Keep it safe and secret. It is the only way to read replies and to add to your tip:
              - write it on paper and hide it, or memorise it; do not keep it on a device others can search;
              - anyone who has it can read the replies; no one can recover it for you if you lose it.
            Read replies with (you will be asked for the codename):
              \(checkCommand(pinned: pinned))
            """)
        }
    }
}

/// Text from a file or a file name, shown on one line of the summary (see ``TerminalText``).
private func oneLine(_ text: some StringProtocol) -> String { TerminalText.clean(text, newlines: false) }
