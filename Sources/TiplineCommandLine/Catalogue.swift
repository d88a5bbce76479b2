/// One language's messages, keyed by message id, from a catalogue file
/// compiled into the binary (`Catalogues/<code>.catalogue`, embedded by
/// SwiftPM, so a tipster's `tip` needs no file beside it).
///
/// The format is one message per line, `id = text`; `#` starts a comment
/// line; `\n` in a text is a line break and `\\` a backslash. A text names
/// its placeholders in braces, `{name}`, never by position, because word
/// order differs between languages.
public struct Catalogue: Sendable {
    public let language: Language
    public let messages: [String: String]

    public init(language: Language, source: String) throws(CatalogueError) {
        self.language = language
        var messages: [String: String] = [:]
        for (number, rawLine) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingPrefix(while: { $0 == " " || $0 == "\t" })
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw CatalogueError.malformedLine(language: language.rawValue, line: number + 1)
            }
            let id = line[..<equals].trimmingCharacters(in: " \t")
            var text = line[line.index(after: equals)...].trimmingCharacters(in: " \t\r")
            text = Self.unescape(text)
            guard !id.isEmpty, messages[id] == nil else {
                throw CatalogueError.duplicateOrEmptyId(language: language.rawValue, line: number + 1)
            }
            messages[id] = text
        }
        self.messages = messages
    }

    /// The message `id` with its placeholders filled in, or `nil` when this
    /// catalogue lacks it.
    public func text(_ id: String, _ values: [String: String]) -> String? {
        guard let template = messages[id] else { return nil }
        return Self.fill(template, values)
    }

    /// The placeholder names a text uses, for the test that every language
    /// names the same ones.
    public static func placeholders(in text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    static func fill(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            out += values[name] ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                out.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        String(drop(while: { set.contains($0) }).reversed().drop(while: { set.contains($0) }).reversed())
    }
}
