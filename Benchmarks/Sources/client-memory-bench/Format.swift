import Foundation

/// Number formatting for the table, locale-independent so that runs compare
/// as text.
enum Format {
    static func mebibytes(_ kib: Int) -> String {
        String(format: "%.1f MiB", Double(kib) / 1024)
    }

    static func signedMebibytes(_ kib: Int) -> String {
        String(format: "%+.1f MiB", Double(kib) / 1024)
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.1f s", value)
    }

    static func size(mebibytes: Int) -> String {
        mebibytes % 1024 == 0 ? "\(mebibytes / 1024) GiB" : "\(mebibytes) MiB"
    }

    /// The one-minute load average, from /proc/loadavg.
    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "n/a"
    }
}
