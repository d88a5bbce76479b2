import TiplineCrypto

/// One test-vector case: a `key: value` header, a blank line, and the case's
/// bytes as lower-case hex, 64 characters a line (proto/PROTOCOL.md §10).
public struct VectorFile: Equatable, Sendable {
    /// The file name, which says what the case tests or breaks.
    public let name: String
    /// Header lines in the order they are written.
    public let headers: [(key: String, value: String)]
    public let body: [UInt8]

    public init(name: String, headers: [(String, String)], body: [UInt8]) {
        self.name = name
        self.headers = headers.map { (key: $0.0, value: $0.1) }
        self.body = body
    }

    public static func == (lhs: VectorFile, rhs: VectorFile) -> Bool {
        lhs.name == rhs.name && lhs.body == rhs.body
            && lhs.headers.map(\.key) == rhs.headers.map(\.key)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// The value of header `key`, if present.
    public subscript(_ key: String) -> String? {
        headers.first { $0.key == key }?.value
    }

    /// The file's text.
    public func rendered() -> String {
        var text = ""
        for (key, value) in headers { text += "\(key): \(value)\n" }
        text += "\n"
        let hex = Hex.encode(body)
        var index = hex.startIndex
        while index < hex.endIndex {
            let end = hex.index(index, offsetBy: 64, limitedBy: hex.endIndex) ?? hex.endIndex
            text += hex[index..<end] + "\n"
            index = end
        }
        return text
    }

    /// Parses a vector file's text; `nil` if it is not in the §10 format.
    public init?(name: String, text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let blank = lines.firstIndex(of: "") else { return nil }
        var headers = [(key: String, value: String)]()
        for line in lines[..<blank] {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let key = String(line[..<colon])
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            headers.append((key: key, value: String(value)))
        }
        guard let body = Hex.decode(lines[(blank + 1)...].joined()) else { return nil }
        self.name = name
        self.headers = headers
        self.body = body
    }
}
