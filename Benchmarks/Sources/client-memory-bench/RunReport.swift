import Foundation

/// What a run measured, as a table or JSON.
struct RunReport: Codable, Sendable {
    let binDirectory: String
    let keystore: String
    let sizes: [SizeResult]
    let serverPeakKiB: Int?
    let loadBefore: String
    let loadAfter: String

    /// Growth from the first size to the last, in KiB.
    var submitGrowthKiB: Int { (sizes.last?.submitPeakKiB ?? 0) - (sizes.first?.submitPeakKiB ?? 0) }
    var downloadGrowthKiB: Int { (sizes.last?.downloadPeakKiB ?? 0) - (sizes.first?.downloadPeakKiB ?? 0) }

    func table() -> String {
        var table = TextTable(["attachment", "tip submit peak RSS", "time", "tipline attachments peak RSS", "time"])
        for size in sizes {
            table.add([Format.size(mebibytes: size.mebibytes), Format.mebibytes(size.submitPeakKiB), Format.seconds(size.submitSeconds),
                       Format.mebibytes(size.downloadPeakKiB), Format.seconds(size.downloadSeconds)])
        }
        let first = Format.size(mebibytes: sizes.first?.mebibytes ?? 0), last = Format.size(mebibytes: sizes.last?.mebibytes ?? 0)
        let aim = Options.aimMiB * 1024
        func verdict(_ growth: Int) -> String { growth <= aim ? "met" : "NOT met" }
        var lines = [
            "client-memory-bench: peak resident memory (ru_maxrss, the kernel's VmHWM at exit) of the release tools",
            "tools: \(binDirectory); server: tipline-server on 127.0.0.1 in a child process; files: sparse, in a temporary directory",
            "responder keystore: \(keystore)",
            "load average \(loadBefore) before, \(loadAfter) after",
            "",
            table.render(),
            "",
            "growth from \(first) to \(last) (aim: at most \(Options.aimMiB) MiB):",
            "  tip submit           \(Format.signedMebibytes(submitGrowthKiB))  \(verdict(submitGrowthKiB))",
            "  tipline attachments  \(Format.signedMebibytes(downloadGrowthKiB))  \(verdict(downloadGrowthKiB))",
        ]
        if let serverPeakKiB { lines.append("server peak RSS (VmHWM) over the whole run: \(Format.mebibytes(serverPeakKiB))") }
        return lines.joined(separator: "\n")
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
