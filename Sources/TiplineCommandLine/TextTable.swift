/// Left-aligned columns separated by two spaces; the header in bold.
public struct TextTable {
    private let header: [String]
    private var rows: [[String]] = []

    public init(_ header: [String]) {
        self.header = header
    }

    public mutating func add(_ row: [String]) {
        rows.append(row.map { $0.replacingOccurrences(of: "\n", with: " ") })
    }

    public func render() -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([Console.bold(line(header))] + rows.map(line)).joined(separator: "\n")
    }
}
