import ArgumentParser
import TiplineClient
import TiplineCommandLine
import TiplineProto

extension TiplineCommand {
    struct Triage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a tip's status, priority, assignee or tags, or add a note. Sealed and signed.",
            discussion: """
                Each change is one event, sealed to every responder and signed with your key: the server stores it
                but cannot read it, and cannot forge one.

                Examples:
                  tipline triage 3f9a --status investigating --priority high --assign alice
                  tipline triage 3f9a --tag urgent --tag trafficking --note "Matches the report from March"
                  tipline triage 3f9a --untag urgent --status closed
                """)

        @Argument(help: "The tip id or a unique prefix.")
        var id: String

        @Option(help: "New status (e.g. new, investigating, verified, closed).")
        var status: String?

        @Option(help: "New priority (e.g. low, normal, high, urgent).")
        var priority: String?

        @Option(name: .customLong("assign"), help: ArgumentHelp("Assign to this responder ('' to unassign).", valueName: "name"))
        var assignee: String?

        @Option(help: "Add a tag (repeatable).")
        var tag: [String] = []

        @Option(help: "Remove a tag (repeatable).")
        var untag: [String] = []

        @Option(help: "A note for the tip's history.")
        var note: String?

        @OptionGroup var options: ResponderOptions

        func validate() throws {
            if status == nil && priority == nil && assignee == nil && tag.isEmpty && untag.isEmpty && note == nil {
                throw ValidationError("nothing to change: give --status, --priority, --assign, --tag, --untag or --note")
            }
        }

        func run() async throws {
            let workspace = try await options.openWorkspace()
            defer { Task { await workspace.connection.close() } }
            let tipCase = try workspace.find(id)
            var change = Tipline_V1_TriageContent()
            if let status { change.status = status }
            if let priority { change.priority = priority }
            if let assignee { change.assignee = assignee }
            change.addTags = tag
            change.removeTags = untag
            change.note = note ?? ""
            _ = try await workspace.triage(tipCase, change: change)
            Console.output("recorded on tip \(tipCase.id.prefix(8))")
        }
    }
}
