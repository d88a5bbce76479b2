import ArgumentParser
import Foundation
import TiplineClient
import TiplineCommandLine
import TiplineCrypto

extension TiplineCommand {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write decrypted tips and attachments to a folder, for a handover.",
            discussion: """
                The folder (mode 0700) holds one sub-folder per tip with tip.json (content, triage, history),
                tip.txt, and the decrypted attachments. It is PLAINTEXT: it can get tipsters hurt. Keep it on an
                encrypted disk, hand it over in person, and delete it securely afterwards.

                Examples:
                  tipline export --out ./handover
                  tipline export --out ./handover --status verified
                """)

        @Option(help: ArgumentHelp("The folder to write (must not exist yet).", valueName: "dir"))
        var out: String

        @Option(help: "Only tips with this status.")
        var status: String?

        @Flag(help: "Skip attachments.")
        var noAttachments = false

        @OptionGroup var options: ResponderOptions

        func run() async throws {
            guard !FileManager.default.fileExists(atPath: out) else { throw ToolFailure(.usage, "\(out) exists already") }
            let workspace = try await options.openWorkspace()
            defer { Task { await workspace.connection.close() } }
            let cases = try workspace.cases().filter { status == nil || $0.triage.status == status }
            Console.warning("\(out) will hold DECRYPTED tips. Anyone who reads it learns what tipsters risked their safety to tell.")
            try PrivateDirectory.create(out)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let bars = BarSet()
            for listed in cases {
                // A text too long for the envelope is fetched from its attachment.
                let tipCase = await workspace.withWholeText(listed)
                let folder = (out as NSString).appendingPathComponent(tipCase.id)
                try PrivateDirectory.create(folder)
                // Terminal-safe escapes, as on stdout: the file is often read with cat.
                let json = TerminalText.json(String(decoding: try encoder.encode(tipCase), as: UTF8.self))
                try AtomicFile.write(Array(json.utf8), to: folder + "/tip.json", mode: 0o600)
                let cut = tipCase.textIsWhole ? "" : "\n[only the beginning of the text: \(tipCase.textProblem ?? "the rest is in an attachment")]\n"
                let text = "What happened:\n\(tipCase.what)\n\(cut)\nWhere: \(tipCase.place)\nWhen: \(tipCase.time)\nContact: \(tipCase.contact)\n"
                try AtomicFile.write(Array(text.utf8), to: folder + "/tip.txt", mode: 0o600)
                if !noAttachments && !tipCase.attachments.isEmpty {
                    _ = try await workspace.saveAttachments(tipCase, to: folder + "/attachments") { name, done, total in
                        bars.update(name, done, total)
                    }
                }
            }
            bars.finishAll()
            Console.output("exported \(cases.count) tip(s) to \(out)")
        }
    }
}
