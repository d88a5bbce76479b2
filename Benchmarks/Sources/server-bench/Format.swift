import Foundation

/// Number formatting for the table, locale-independent so that runs compare
/// as text.
enum Format {
    static func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded()))
        var out = ""
        for (i, ch) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 && ch != "-" { out.append(",") }
            out.append(ch)
        }
        return String(out.reversed())
    }

    static func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    /// Microseconds below 10 ms, milliseconds above.
    static func micros(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        if value >= 10_000 { return String(format: "%.1f ms", value / 1000) }
        if value >= 1000 { return String(format: "%.0f µs", value) }
        return String(format: "%.1f µs", value)
    }

    static func optional(_ value: Double?) -> String {
        value.map { String(format: "%.1f", $0) } ?? "n/a"
    }

    static func ratio(_ value: Double) -> String {
        String(format: "%.2f×", value)
    }

    static func mebibytes(_ kib: Int?) -> String {
        kib.map { String(format: "%.1f MiB", Double($0) / 1024) } ?? "n/a"
    }

    static func kibibytes(_ kib: Double) -> String {
        String(format: "%.1f KiB", kib)
    }
}
