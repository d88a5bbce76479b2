import ArgumentParser
import TiplineClient
import TiplineCommandLine

extension TiplineCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one tip in full: content, attachments, triage history, replies and follow-ups.",
            discussion: """
                ID is the tip id or any unique prefix of it (at least 4 hex characters).

                Examples:
                  tipline show 3f9a
                  tipline show 3f9a --json
                """)

        @Argument(help: "The tip id or a unique prefix.")
        var id: String

        @OptionGroup var options: ResponderOptions

        @Flag(help: "Print the tip as JSON.")
        var json = false

        func run() async throws {
            let workspace = try await options.openWorkspace()
            defer { Task { await workspace.connection.close() } }
            // A text too long for the envelope is fetched from its attachment.
            let tipCase = await workspace.withWholeText(try workspace.find(id))
            if json {
                try Console.json(tipCase)
                return
            }
            Console.output(Console.bold("Tip \(tipCase.id)") + "  received \(Time.format(tipCase.receivedAt))"
                           + (tipCase.expiresAt.map { "  expires \(Time.format($0))" } ?? ""))
            if let warning = tipCase.warning { Console.warning(TerminalText.clean(warning)) }
            if let problem = tipCase.problem {
                Console.output("  (\(TerminalText.clean(problem)))")
            } else {
                Console.output("\nWhat happened:\n\(TerminalText.clean(tipCase.what))")
                if !tipCase.textIsWhole {
                    Console.output("  [only the beginning of the text is shown: \(oneLine(tipCase.textProblem ?? "the rest is in an attachment"))]")
                }
                if !tipCase.place.isEmpty { Console.output("\nWhere: \(TerminalText.clean(tipCase.place))") }
                if !tipCase.time.isEmpty { Console.output("When: \(TerminalText.clean(tipCase.time))") }
                if !tipCase.contact.isEmpty { Console.output("Contact: \(TerminalText.clean(tipCase.contact))") }
            }
            let triage = tipCase.triage
            Console.output("\nStatus: \(oneLine(triage.status))   Priority: \(oneLine(triage.priority))"
                           + "   Assignee: \(triage.assignee.isEmpty ? "-" : oneLine(triage.assignee))"
                           + "   Tags: \(triage.tags.isEmpty ? "-" : oneLine(triage.tags.joined(separator: ", ")))")
            if !tipCase.attachments.isEmpty {
                Console.output("\nAttachments:")
                for attachment in tipCase.attachments {
                    let name = attachment.isText ? "the tip's text, shown above" : oneLine(attachment.name)
                    Console.output("  \(attachment.index). \(name) (\(ProgressDisplay.size(attachment.size)))"
                                   + (attachment.storedId == nil ? "  not uploaded" : ""))
                }
                Console.output("  Save them with: \(options.command("attachments", tipCase.id.prefix(8), "--out", "tip-\(tipCase.id.prefix(8))"))")
            }
            if !tipCase.history.isEmpty {
                Console.output("\nHistory:")
                for event in tipCase.history {
                    let head = "  [\(Time.format(event.receivedAt))] \(event.kind.rawValue) by \(oneLine(event.author))"
                    if let problem = event.problem {
                        Console.output(head + ": REFUSED (\(oneLine(problem)))")
                        continue
                    }
                    Console.output(head + (event.change.isEmpty ? "" : ": \(oneLine(event.change))"))
                    if let warning = event.warning { Console.output("      (warning: \(oneLine(warning)))") }
                    if !event.text.isEmpty {
                        Console.output(event.text.split(separator: "\n", omittingEmptySubsequences: false)
                                       .map { "      " + TerminalText.clean($0) }.joined(separator: "\n"))
                    }
                }
            }
        }
    }
}

/// Untrusted text for one line of the layout (see ``TerminalText``).
private func oneLine(_ text: some StringProtocol) -> String { TerminalText.clean(text, newlines: false) }
