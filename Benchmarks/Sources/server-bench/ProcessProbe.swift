import Foundation

/// Reads a process's memory and CPU time from Linux's /proc. Every reading is
/// nil where /proc is missing (macOS), and the report then says "n/a".
struct ProcessProbe: Sendable {
    private let directory: String

    init(pid: Int32) { directory = "/proc/\(pid)" }

    /// This process: the load generator and both clients.
    static let current = ProcessProbe(directory: "/proc/self")

    private init(directory: String) { self.directory = directory }

    /// Resident memory now, in KiB.
    func residentKiB() -> Int? { statusField("VmRSS") }

    /// The most resident memory the process has had, in KiB.
    func peakResidentKiB() -> Int? { statusField("VmHWM") }

    func threads() -> Int? { statusField("Threads") }

    /// User plus system CPU time so far, in seconds (10 ms resolution).
    func cpuSeconds() -> Double? {
        guard let stat = try? String(contentsOfFile: directory + "/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // The command name may contain spaces; the fields after it do not.
        // After ")": state ppid pgrp session tty tpgid flags minflt cminflt
        // majflt cmajflt utime stime …
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Self.ticksPerSecond
    }

    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// The number in a `Name:   value [kB]` line of /proc/PID/status.
    private func statusField(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: directory + "/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            // "VmRSS:\t   12345 kB": the value is the first word after the colon.
            return line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
        }
        return nil
    }
}
