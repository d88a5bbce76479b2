import Foundation
import TiplineClient
import TiplineCommandLine
import TiplineCrypto

/// The questions of a guided `tip submit`, in the tipster's language: what
/// happened (as many lines as needed, ended by two empty lines or Ctrl-D),
/// where, when, how they may be contacted, and which files to attach. A
/// file that cannot be read is named at its question, which is asked again;
/// the answers so far are kept.
struct GuidedDraft {
    /// The most files one tip takes (the server's limit, PROTOCOL.md §14.3).
    static let maximumFiles = 16

    /// Answers the command line gave already; their questions are skipped.
    let given: TipDraft

    func ask() -> TipDraft {
        var what = given.what
        while what.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            what = Prompt.paragraph(Console.bold(L("ask.what")), hint: L("ask.textHint"))
            if what.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { Console.error(L("error.emptyTip")) }
        }
        let place = given.place.isEmpty ? answer(L("ask.where")) : given.place
        let time = given.time.isEmpty ? answer(L("ask.when")) : given.time
        let contact = given.contact.isEmpty ? answer(L("ask.contact")) : given.contact
        var draft = TipDraft(what: what, place: place, time: time, contact: contact)
        draft.attachments = askFiles(given.attachments)
        return draft
    }

    /// A one-line answer, on its own line under the question (questions in
    /// some languages are longer than a terminal is wide).
    private func answer(_ question: String) -> String {
        Console.error("")
        Console.error(Console.bold(question))
        return Prompt.line("> ") ?? ""
    }

    private func askFiles(_ given: [AttachmentFile]) -> [AttachmentFile] {
        var files = given
        Console.error("")
        Console.error(Console.bold(L("ask.file")))
        while files.count < Self.maximumFiles, let typed = Prompt.line("> "), !typed.trimmingCharacters(in: .whitespaces).isEmpty {
            for path in TypedPath.paths(in: typed) {
                guard files.count < Self.maximumFiles else {
                    Console.error(L("file.tooMany", ["count": "\(Self.maximumFiles)"]))
                    break
                }
                let shown = TerminalText.clean(path, newlines: false)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                    Console.error(L("file.folder", ["path": shown]))
                    continue
                }
                do {
                    let file = try AttachmentFile(path: path)
                    files.append(file)
                    Console.error(L("file.added", ["name": TerminalText.clean(file.name, newlines: false),
                                                   "size": ProgressDisplay.size(file.size)]))
                } catch {
                    Console.error(L("file.unreadable", ["path": shown]))
                }
            }
        }
        return files
    }

    /// The summary before sending: the answers, each label padded by display
    /// width so the values line up in every script, and the fingerprint.
    static func showSummary(_ draft: TipDraft, bundle: KeyBundle, pinned: Fingerprint) {
        var rows: [(String, String)] = []
        let firstLine = draft.what.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        rows.append((L("summary.what"), firstLine + (draft.what.contains("\n") ? " …" : "")))
        if !draft.place.isEmpty { rows.append((L("summary.where"), draft.place)) }
        if !draft.time.isEmpty { rows.append((L("summary.when"), draft.time)) }
        if !draft.contact.isEmpty { rows.append((L("summary.contact"), draft.contact)) }
        for file in draft.attachments where !file.isText {
            rows.append((L("summary.file"), "\(file.name) (\(ProgressDisplay.size(file.size)))"))
        }
        let labelColumns = rows.map { DisplayWidth.of($0.0) }.max() ?? 0
        let valueColumns = max(80 - labelColumns - 5, 20)
        Console.error("")
        Console.error(Console.bold(L("summary.title")))
        for (label, value) in rows {
            let shown = TerminalText.clean(value, newlines: false)
            Console.error("  " + DisplayWidth.fit(label, to: labelColumns) + "   "
                          + (DisplayWidth.of(shown) > valueColumns ? DisplayWidth.fit(shown, to: valueColumns) : shown))
        }
        if let text = draft.attachments.first(where: \.isText) {
            Console.error("  " + L("summary.longText", ["size": ProgressDisplay.size(text.size)]))
        }
        Console.error("")
        Console.error("  " + L("summary.readers", ["count": "\(bundle.responders.count)"]))
        Console.error("  " + L("summary.fingerprint"))
        Console.error("    " + Console.bold(bundle.organisationFingerprint.description))
        Console.error("  " + L("summary.matches"))
        Console.error("")
    }
}
