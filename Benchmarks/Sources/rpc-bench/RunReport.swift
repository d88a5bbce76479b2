import Foundation

/// Everything one run measured, with what is needed to compare runs.
struct RunReport: Codable, Sendable {
    struct Settings: Codable, Sendable {
        let secondsPerCase: Double
        let warmupSeconds: Double
        let payloadBytes: Int
        let method: String
    }

    struct Machine: Codable, Sendable {
        let activeProcessors: Int
        let operatingSystem: String
        /// 1-minute load averages from /proc/loadavg before and after the
        /// run: above the core count means other work shared the machine.
        let loadAverageBefore: Double?
        let loadAverageAfter: Double?
        let openFileLimit: Int
    }

    let settings: Settings
    let machine: Machine
    let cases: [CaseResult]
    let comparisons: [Comparison]
    let memory: [MemoryResult]

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
