import ArgumentParser
import TiplineClient
import TiplineCommandLine

extension TiplineCommand {
    struct Inbox: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sync and list tips: id, received, status, priority, assignee, tags and first line.",
            discussion: """
                Only what is new since the last sync is fetched; the local cache holds sealed items only.
                Every tip is decrypted on this device, on all cores.

                Examples:
                  tipline inbox --server 127.0.0.1:7040 --key alice.key --org 1B6-X4F-2RQ-…
                  tipline inbox --status new --tag urgent
                  tipline inbox --json | jq '.[] | select(.triage.priority == "high") | .id'
                """)

        @OptionGroup var options: ResponderOptions

        @Option(help: "Only tips with this status.")
        var status: String?

        @Option(help: "Only tips with this priority.")
        var priority: String?

        @Option(help: ArgumentHelp("Only tips assigned to this responder ('' for unassigned).", valueName: "name"))
        var assignee: String?

        @Option(help: "Only tips with this tag.")
        var tag: String?

        @Option(help: "Show at most this many tips.")
        var limit: Int?

        @Flag(help: "Print the tips as JSON (with their full content and history).")
        var json = false

        func run() async throws {
            let session = try await options.openSession()
            let workspace = session.workspace
            defer { Task { await workspace.connection.close() } }
            let all = try workspace.cases()
            // After the cases are opened (and what receiving keys opened is
            // archived): destroy spent keys, make the next one when due.
            try await ReceivingKeyUpkeep.run(session)
            var cases = all.filter { tipCase in
                (status == nil || tipCase.triage.status == status) && (priority == nil || tipCase.triage.priority == priority)
                    && (assignee == nil || tipCase.triage.assignee == assignee) && (tag == nil || tipCase.triage.tags.contains(tag!))
            }
            if let limit { cases = Array(cases.prefix(max(limit, 0))) }
            if json {
                try Console.json(cases)
                return
            }
            guard !cases.isEmpty else {
                Console.output("No tips.")
                return
            }
            var table = TextTable(["ID", "RECEIVED", "STATUS", "PRIORITY", "ASSIGNEE", "TAGS", "FIRST LINE"])
            for tipCase in cases {
                // Every cell but the id and time is someone else's text.
                let cells = [tipCase.triage.status, tipCase.triage.priority,
                             tipCase.triage.assignee.isEmpty ? "-" : tipCase.triage.assignee,
                             tipCase.triage.tags.isEmpty ? "-" : tipCase.triage.tags.joined(separator: ","),
                             String(tipCase.firstLine.prefix(48))].map { TerminalText.clean($0, newlines: false) }
                table.add([String(tipCase.id.prefix(8)), Time.format(tipCase.receivedAt)] + cells)
            }
            Console.output(table.render())
        }
    }
}
