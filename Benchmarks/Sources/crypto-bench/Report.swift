import Foundation

/// The outcome of one operation: both sides' repetitions and their ratio.
struct CaseResult: Encodable, Sendable {
    enum Unit: String, Encodable, Sendable {
        case opsPerSecond = "ops/s"
        case megabytesPerSecond = "MB/s"
    }

    /// Stable name for scripts reading `--json`, e.g. `envelope.seal.3`.
    let id: String
    /// Human name for the table.
    let operation: String
    let unit: Unit
    let ours: Stats
    let bare: Stats
    /// ours ÷ bare, from the medians: 1.0 means no measurable wrapper cost.
    let ratio: Double

    init(id: String, operation: String, unit: Unit, pair: Harness.Pair) {
        self.id = id
        self.operation = operation
        self.unit = unit
        ours = Stats(pair.ours)
        bare = Stats(pair.bare)
        ratio = ours.median / bare.median
    }

    /// The larger of the two sides' spreads: a ratio closer to 1.0 than this
    /// is within the run's noise.
    var spread: Double { max(ours.spread, bare.spread) }
}

/// Everything one run measured, with what is needed to compare runs.
struct RunReport: Encodable {
    struct Settings: Encodable {
        let secondsPerRepetition: Double
        let warmupSeconds: Double
        let repetitions: Int
        let contentBytes: Int
        let paddedContentBytes: Int
        let attachmentBytes: Int
        let attachmentFeedBytes: Int
    }

    struct Machine: Encodable {
        let libsodium: String
        let activeProcessors: Int
        let operatingSystem: String
        let threads: Int
    }

    let settings: Settings
    let machine: Machine
    let results: [CaseResult]

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func table() -> String {
        let header = ["operation", "ours", "bare libsodium", "ours/bare", "spread"]
        let rows = results.map { r in
            [r.operation, Format.rate(r.ours.median, r.unit), Format.rate(r.bare.median, r.unit),
             Format.ratio(r.ratio), Format.percent(r.spread)]
        }
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max()!
        }
        // The operation is left-aligned, numbers right-aligned so digits line up.
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        var lines = [
            "crypto-bench: libsodium \(machine.libsodium), \(machine.activeProcessors) cores, 1 thread",
            "median of \(settings.repetitions) × \(settings.secondsPerRepetition) s per side after "
                + "\(settings.warmupSeconds) s warm-up; envelope content \(settings.contentBytes) B "
                + "(padded \(settings.paddedContentBytes) B); attachment fed in "
                + "\(settings.attachmentFeedBytes / 1024) KiB pieces",
            "",
            line(header),
            line(widths.map { String(repeating: "-", count: $0) }),
        ]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }
}

/// Number formatting without locale dependence, so output is the same everywhere.
enum Format {
    static func rate(_ value: Double, _ unit: CaseResult.Unit) -> String {
        switch unit {
        case .opsPerSecond: grouped(value, decimals: 0) + " ops/s"
        case .megabytesPerSecond: grouped(value, decimals: 1) + " MB/s"
        }
    }

    static func ratio(_ value: Double) -> String { String(format: "%.2f×", value) }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    /// `12345.6` → `12,345.6`.
    static func grouped(_ value: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", value)
        let parts = text.split(separator: ".", maxSplits: 1)
        var integer = String(parts[0])
        var groups: [Substring] = []
        while integer.count > 3 {
            groups.insert(integer.suffix(3), at: 0)
            integer.removeLast(3)
        }
        groups.insert(Substring(integer), at: 0)
        let fraction = parts.count > 1 ? "." + parts[1] : ""
        return groups.joined(separator: ",") + fraction
    }
}

/// Progress on standard error, so that `--json` output on standard output
/// stays machine-readable while a long run still shows it is alive.
enum Progress {
    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    static func report(_ result: CaseResult) {
        note("  \(result.operation): ours \(Format.rate(result.ours.median, result.unit)), "
             + "bare \(Format.rate(result.bare.median, result.unit)), \(Format.ratio(result.ratio))")
    }
}
