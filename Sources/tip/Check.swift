import ArgumentParser
import Foundation
import TiplineClient
import TiplineCommandLine
import TiplineCrypto

extension TipCommand {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read replies to your tip, and optionally add a follow-up.",
            discussion: """
                Without --codename, tip asks for it without showing it on the screen (better: a codename on the
                command line can be seen by other programs on this device and may land in shell history).

                Examples:
                  tip check --server 127.0.0.1:7040 --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613
                  tip check --server 127.0.0.1:7040 --org 1B6-X4F-… --follow-up "One more thing: …"
                  tip check --server 127.0.0.1:7040 --org 1B6-X4F-… --follow-up-file more.txt
                  tip check --server 127.0.0.1:7040 --org 1B6-X4F-… --codename-stdin --json < codename.txt
                """)

        @OptionGroup var connection: ConnectionOptions

        @Option(help: ArgumentHelp("The organisation fingerprint you were given (11 groups of 3).", valueName: "fingerprint"))
        var org: String

        @Option(help: ArgumentHelp("Your codename (prefer the prompt or --codename-stdin).", valueName: "codename"))
        var codename: String?

        @Flag(help: "Read the codename from the first line of standard input.")
        var codenameStdin = false

        @Option(help: ArgumentHelp("Add this follow-up to your tip.", valueName: "text"))
        var followUp: String?

        @Option(help: ArgumentHelp("Add the text of this file to your tip as a follow-up.", valueName: "file"))
        var followUpFile: String?

        @Flag(help: "Connect without a proxy to a non-loopback server, accepting that it sees your address.")
        var direct = false

        @Flag(help: "Print the messages as JSON.")
        var json = false

        func validate() throws {
            if followUp != nil && followUpFile != nil { throw ValidationError("give --follow-up or --follow-up-file, not both") }
        }

        func run() async throws {
            // A typo in the fingerprint is caught before the codename is asked for or anything sent.
            let pinned = try TipsterConnection.pinned(org)
            var followUp = followUp
            if let followUpFile {
                followUp = String(decoding: try Data(contentsOf: URL(fileURLWithPath: followUpFile)), as: UTF8.self)
            }
            let typed: String
            if let codename {
                typed = codename
            } else if codenameStdin {
                typed = readLine(strippingNewline: true) ?? ""
            } else {
                let secret = try TerminalPassphrase.read(prompt: "Codename: ")
                typed = secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            }
            // A typo is caught here, by the check symbol, before anything is sent.
            let keys = try Codename(parsing: typed).deriveKeys()

            try TipsterConnection.checkRoute(connection, direct: direct, interactive: codename == nil && !codenameStdin)
            let client = try await connection.connect()
            defer { Task { await client.close() } }
            let bundle = try await TipsterConnection.bundle(over: client, pinned: pinned)
            var bundles = (try? await TrustedBundles.history(over: client, pinned: pinned)) ?? []
            if !bundles.contains(bundle) { bundles.append(bundle) }

            let messages: [MailboxMessage]
            do {
                messages = try await TipsterMailbox.read(keys, bundles: bundles, over: client)
            } catch let error as ToolFailure {
                throw error
            } catch {
                let failure = ToolFailure.from(error)
                if failure.code == .refused {
                    throw ToolFailure(.refused, "no tip has this codename on this server. Check each character, and the server.")
                }
                throw failure
            }
            var posted: UInt64?
            if let followUp {
                posted = try await TipsterMailbox.followUp(followUp, keys: keys, bundle: bundle, over: client)
            }
            if json {
                struct Result: Encodable {
                    let messages: [MailboxMessage]
                    let followUpSequence: UInt64?
                }
                try Console.json(Result(messages: messages, followUpSequence: posted))
                return
            }
            let replies = messages.filter { $0.kind == .reply && $0.problem == nil }
            Console.output(replies.isEmpty ? "No replies yet." : "\(replies.count) repl\(replies.count == 1 ? "y" : "ies"):")
            for message in messages {
                let when = Time.format(message.receivedAt)
                switch message.kind {
                case .reply where message.problem != nil:
                    Console.output("\n[\(when)] a reply that failed its checks and is not shown (\(TerminalText.clean(message.problem!)))")
                case .reply:
                    Console.output("\n[\(when)] reply from \(TerminalText.clean(message.from ?? "a responder", newlines: false)):\n"
                                   + TerminalText.clean(message.text ?? ""))
                case .followUp:
                    Console.output("\n[\(when)] your follow-up (sealed for the responders)")
                }
            }
            if posted != nil { Console.output("\nYour follow-up was sent.") }
        }
    }
}
