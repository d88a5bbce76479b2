import Foundation

/// Everything one run measured, with what is needed to compare runs.
struct RunReport: Codable, Sendable {
    struct Settings: Codable, Sendable {
        let secondsPerMeasurement: Double
        let warmupSeconds: Double
        let clientCounts: [Int]
        let tipBytes: Int
        let paddedLength: Int
        let envelopeBytes: Int
        let distinctEnvelopes: Int
        let responders: Int
        let proofOfWorkDifficulty: Int
        /// Rows per transaction of the batched baseline; 0 means as many as clients.
        let batchRows: Int
    }

    struct Machine: Codable, Sendable {
        let activeProcessors: Int
        let operatingSystem: String
        /// 1-minute load averages from /proc/loadavg before and after the
        /// run: above the core count means other work shared the machine.
        let loadAverageBefore: Double?
        let loadAverageAfter: Double?
        /// Where the three databases were, and that file system's type.
        let dataDirectory: String
        let fileSystem: String?
        let device: String?
        /// The baselines' writer connection, as SQLite reports it.
        let baselineJournalMode: String
        let baselineSynchronous: String
    }

    /// The server process's memory, from /proc/PID/status, in KiB.
    struct ServerMemory: Codable, Sendable {
        /// VmRSS once the bundle is published, before any load.
        let startKiB: Int?
        /// VmRSS after the last measurement, with no client connected.
        let endKiB: Int?
        /// VmHWM: the most resident memory the server had during the run.
        let peakKiB: Int?
        let threads: Int?
        /// Writes the store committed during the run: every tip, warm-ups
        /// included, and the bundle.
        let storeWrites: Int?
    }

    let settings: Settings
    let machine: Machine
    let results: [SideResult]
    let comparisons: [Comparison]
    let serverMemory: ServerMemory

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    static func loadAverage() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Double($0) }
    }
}
