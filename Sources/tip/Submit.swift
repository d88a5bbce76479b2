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
                Without --message or --message-file, and at a terminal, tip first connects and checks the organisation's \
                keys (asking for the server and fingerprint if they are not given), then asks what happened, where, \
                when, and how you may be contacted, and which files to attach, then shows a summary before sending. A \
                wrong answer is asked again; nothing you typed is thrown away. The codename is shown as soon as the tip \
                is stored, before any file goes up; a file that does not arrive can be sent later with `tip resend`. \
                With text on standard input, it sends that text.

                Examples:
                  tip submit --server 127.0.0.1:7040 --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613
                  tip submit --server tipline.example.onion:7040 --proxy socks5://127.0.0.1:9050 \\
                      --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613 --message "What I saw…" --attach photo.jpg
                  echo "What I saw…" | tip submit --server 127.0.0.1:7040 --org 1B6-X4F-… --json
                """)

        @OptionGroup var connection: ConnectionOptions

        @Option(help: ArgumentHelp("The organisation fingerprint you were given (11 groups of 3), to check the server's keys against (asked when missing at a terminal).",
                                   valueName: "fingerprint"))
        var org: String?

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

        @OptionGroup var language: LanguageOption

        func validate() throws {
            if message != nil && messageFile != nil { throw ValidationError(L("error.bothMessage")) }
        }

        func run() async throws {
            let guided = interactive || (message == nil && messageFile == nil && isatty(0) == 1)
            if guided { TipLanguage.askIfUndecided() }
            var session = TipsterConnection(options: connection, org: org, direct: direct, guided: guided)
            if guided {
                Console.error("")
                Console.error(Console.bold(L("submit.intro")))
                Console.error(L("submit.unsure"))
                Console.error(Console.dim(L("submit.stop")))
                Console.error("")
            }
            // Guided, the server and the fingerprint are checked before the
            // story is asked for; a wrong one is asked again.
            let opened = try await session.open()
            let pinned = opened.pinned, bundle = opened.bundle
            var client = opened.client
            // Who the tip goes to is settled before the story is asked for:
            // when no responder can receive right now, the tipster hears so
            // at once (PROTOCOL.md §3.5 step 4).
            let recipients: TrustedRecipients
            do {
                recipients = try TrustedRecipients(bundle: bundle, statements: opened.receivingKeys, now: client.clock())
            } catch {
                await client.close()
                throw error
            }
            var draft = try guided ? GuidedDraft(given: try givenDraft()).ask() : draftFromOptions()
            if !guided { draft.attachments = try attachments.map(AttachmentFile.init(path:)) }
            // Sizes are checked here, before any proof of work.
            draft = try draft.preparedForSending()

            if guided {
                GuidedDraft.showSummary(draft, bundle: bundle, pinned: pinned)
                guard Prompt.confirm(L("confirm.send")) else {
                    await client.close()
                    throw ToolFailure(.failure, L("notSent"), localized: true)
                }
            }

            let tip = try await file(draft, to: recipients, client: &client, session: session, guided: guided)
            // The codename first, before any file goes up: whatever happens
            // to the uploads, the tipster leaves with it.
            if !json { showCodename(tip.codename, pinned: pinned, session: session, filesFollow: !tip.attachments.isEmpty) }
            let missing = await FileUploads(guided: guided).send(tip.attachments, connection: &client, session: session) {
                file, connection, bar in
                try await TipSubmission.upload(file, for: tip, over: connection, progress: { bar.update($0) })
            }
            await client.close()
            let arrived = tip.attachments.count { !$0.isText } - missing.count { !$0.isText }
            if json {
                struct Result: Encodable {
                    let codename: String
                    let attachments: Int
                    let receivedAt: UInt64
                    let missing: [String]
                }
                try Console.json(Result(codename: tip.codename.revealed(), attachments: arrived, receivedAt: tip.receivedAt,
                                        missing: missing.map { $0.isText ? AttachmentFile.textName : $0.path }))
            } else if !tip.attachments.isEmpty && missing.isEmpty {
                Console.error(L("files.done", ["count": "\(arrived)"]))
            }
            FileUploads.reportMissing(missing, resendCommand: resendCommand(pinned: pinned, session: session))
            if !missing.isEmpty { throw ExitCode(ToolFailure.Code.unreachable.rawValue) }
        }

        /// Proof of work and the tip itself. Guided, a failure keeps the
        /// draft and offers to try again on a new connection.
        private func file(_ draft: TipDraft, to recipients: TrustedRecipients, client: inout TiplineConnection, session: TipsterConnection,
                          guided: Bool) async throws -> SubmittedTip {
            while true {
                let work = ProgressDisplay(L("send.preparing"), total: 1_000, unit: .attempts)
                var workShown = false
                do {
                    let tip = try await TipSubmission.file(draft, to: recipients, over: client, proofOfWorkProgress: { done, expected in
                        workShown = true
                        work.update(min(done * 1_000 / max(expected, 1), 999))
                        return true
                    })
                    if workShown { work.finish() }
                    return tip
                } catch {
                    let failure = TipsterWords.failure(error)
                    guard guided, failure.code == .unreachable || failure.code == .busy || failure.code == .failure else { throw failure }
                    Console.error("")
                    Console.error(Console.styled(L("send.failed"), code: "31;1") + " " + failure.message)
                    Console.error(L("send.keep"))
                    guard Prompt.confirm(L("ask.retry")) else { throw failure }
                    await client.close()
                    client = try await session.reconnect()
                }
            }
        }

        /// What the options already say; the guided questions ask the rest.
        private func givenDraft() throws -> TipDraft {
            TipDraft(what: message ?? "", place: place, time: time, contact: contact,
                     attachments: try attachments.map(AttachmentFile.init(path:)))
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

        /// The words of a command that reaches the same server the same way,
        /// with the options this submit was given (the environment supplies the rest).
        private func commandWords(_ subcommand: String, pinned: Fingerprint, session: TipsterConnection) -> [String] {
            var words = ["tip", subcommand]
            words += session.options.commandWords
            words += ["--org", pinned.description]
            if direct { words.append("--direct") }
            if Localization.language != .english { words += ["--lang", Localization.language.rawValue] }
            return words
        }

        private func resendCommand(pinned: Fingerprint, session: TipsterConnection) -> [String] {
            commandWords("resend", pinned: pinned, session: session)
        }

        private func showCodename(_ codename: Codename, pinned: Fingerprint, session: TipsterConnection, filesFollow: Bool) {
            Console.output("""

            \(L("received.title"))

            \(L("codename.title"))

                \(Console.bold(codename.revealed()))

            \(L("codename.keep"))
              - \(L("codename.paper"))
              - \(L("codename.nobody"))
            \(L("codename.check"))
              \(commandWords("check", pinned: pinned, session: session).joined(separator: " "))

            """)
            if filesFollow { Console.error(L("files.now")) }
        }
    }
}
