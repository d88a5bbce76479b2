import ArgumentParser
import Foundation
import Glibc
import TiplineClient
import TiplineCommandLine
import TiplineCrypto

extension TipCommand {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read replies to your tip, and add to it.",
            discussion: """
                Without --codename, tip asks for it without showing it on the screen (better: a codename on the command \
                line can be seen by other programs on this device and may land in shell history). At a terminal, after \
                the replies it asks whether you want to add something, and reads it there: a follow-up never has to go \
                on the command line.

                Examples:
                  tip check --server 127.0.0.1:7040 --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613
                  tip check --server 127.0.0.1:7040 --org 1B6-X4F-… --follow-up-file more.txt
                  tip check --server 127.0.0.1:7040 --org 1B6-X4F-… --codename-stdin --json < codename.txt
                """)

        @OptionGroup var connection: ConnectionOptions

        @Option(help: ArgumentHelp("The organisation fingerprint you were given (11 groups of 3; asked when missing at a terminal).",
                                   valueName: "fingerprint"))
        var org: String?

        @Option(help: ArgumentHelp("Your codename (prefer the prompt or --codename-stdin).", valueName: "codename"))
        var codename: String?

        @Flag(help: "Read the codename from the first line of standard input.")
        var codenameStdin = false

        @Option(help: ArgumentHelp("Add this follow-up to your tip (prefer the prompt or --follow-up-file: the command line is visible to other programs).",
                                   valueName: "text"))
        var followUp: String?

        @Option(help: ArgumentHelp("Add the text of this file to your tip as a follow-up.", valueName: "file"))
        var followUpFile: String?

        @Flag(help: "Connect without a proxy to a non-loopback server, accepting that it sees your address.")
        var direct = false

        @Flag(help: "Print the messages as JSON.")
        var json = false

        @OptionGroup var language: LanguageOption

        func validate() throws {
            if followUp != nil && followUpFile != nil { throw ValidationError(L("error.bothFollowUp")) }
        }

        func run() async throws {
            let interactive = codename == nil && !codenameStdin && isatty(0) == 1
            if interactive { TipLanguage.askIfUndecided() }
            var followUp = followUp
            if let followUpFile {
                followUp = String(decoding: try Data(contentsOf: URL(fileURLWithPath: followUpFile)), as: UTF8.self)
            }
            var session = TipsterConnection(options: connection, org: org, direct: direct, guided: interactive)
            // A typo in the fingerprint is caught before the codename is asked for or anything sent.
            if !interactive, let org { _ = try Fingerprint(typed: org, from: "--org") }
            let keys = try CodenameEntry.keys(given: codename, fromStandardInput: codenameStdin)

            let opened = try await session.open()
            let client = opened.client
            defer { Task { await client.close() } }
            var bundles = (try? await TrustedBundles.history(over: client, pinned: opened.pinned)) ?? []
            if !bundles.contains(opened.bundle) { bundles.append(opened.bundle) }
            // Chosen when a follow-up is sealed, not before: reading replies
            // needs no responder able to receive.
            func recipients() throws -> TrustedRecipients {
                try TrustedRecipients(bundle: opened.bundle, statements: opened.receivingKeys, now: client.clock())
            }

            let messages: [MailboxMessage]
            do {
                messages = try await TipsterMailbox.read(keys, bundles: bundles, over: client)
            } catch {
                let failure = TipsterWords.failure(error)
                if failure.code == .refused { throw ToolFailure(.refused, L("codename.unknown"), localized: true) }
                throw failure
            }
            if json {
                var posted: UInt64?
                if let followUp { posted = try await TipsterMailbox.followUp(followUp, keys: keys, to: try recipients(), over: client) }
                struct Result: Encodable {
                    let messages: [MailboxMessage]
                    let followUpSequence: UInt64?
                }
                try Console.json(Result(messages: messages, followUpSequence: posted))
                return
            }
            show(messages)
            if followUp == nil && interactive {
                Console.output("")
                if Prompt.confirm(L("check.askAdd")) {
                    let text = Prompt.paragraph(Console.bold(L("check.askText")), hint: L("ask.textHint"))
                    if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { followUp = text }
                }
            }
            if let followUp {
                while true {
                    do {
                        _ = try await TipsterMailbox.followUp(followUp, keys: keys, to: try recipients(), over: client)
                        break
                    } catch {
                        // Guided, what was typed is kept and may be sent again.
                        let failure = TipsterWords.failure(error)
                        guard interactive else { throw failure }
                        Console.error(failure.message)
                        guard Prompt.confirm(L("ask.retry")) else { throw failure }
                    }
                }
                Console.output("\n" + L("check.sent"))
            }
        }

        private func show(_ messages: [MailboxMessage]) {
            let replies = messages.filter { $0.kind == .reply && $0.problem == nil }
            Console.output(replies.isEmpty ? L("check.none") : L("check.count", ["count": "\(replies.count)"]))
            for message in messages {
                let when = Time.format(message.receivedAt)
                switch message.kind {
                case .reply where message.problem != nil:
                    Console.output("\n" + L("check.replyBad", ["when": when]))
                    if Localization.language == .english { Console.output("  (\(TerminalText.clean(message.problem!)))") }
                case .reply:
                    let from = message.from.map { TerminalText.clean($0, newlines: false) } ?? L("check.responder")
                    Console.output("\n" + L("check.reply", ["when": when, "from": from]) + "\n" + TerminalText.clean(message.text ?? ""))
                case .followUp:
                    if let text = message.text {
                        Console.output("\n" + L("check.yours", ["when": when]) + "\n" + TerminalText.clean(text))
                    } else {
                        Console.output("\n" + L("check.yoursSealed", ["when": when]))
                    }
                }
            }
        }
    }
}
