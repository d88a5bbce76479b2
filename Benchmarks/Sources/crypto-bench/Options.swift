import TiplineCrypto

/// Command-line settings. Parsed by hand because the benchmark may depend on
/// nothing but Foundation and our own modules (no swift-argument-parser).
struct Options: Sendable {
    /// Measuring time of one repetition of one side (ours or bare), in seconds.
    var seconds = 1.0
    /// Untimed running of each side before its first repetition, so that page
    /// faults, lazy initialisation and CPU frequency ramp-up are not measured.
    var warmupSeconds = 0.5
    /// Repetitions per side; the median is reported. Odd, so it is a real sample.
    var repetitions = 5
    var recipientCounts = [1, 3, 10]
    /// 1023 bytes is the largest content that fills the smallest (1 KiB)
    /// padding bucket: a 1024-byte content needs its 0x80 pad byte and so
    /// lands in the 2 KiB bucket (proto/PROTOCOL.md §4.2).
    var contentBytes = 1023
    var attachmentMiB = 64
    var json = false

    static let usage = """
        usage: crypto-bench [options]

          --seconds S        measuring time of each repetition, per side (default 1.0)
          --warmup S         untimed warm-up per side before measuring (default 0.5)
          --repetitions N    repetitions per side; the median is reported (default 5)
          --recipients LIST  envelope recipient counts, comma-separated (default 1,3,10)
          --content-bytes N  envelope content length (default 1023: fills the 1 KiB bucket)
          --attachment-mib N attachment size in MiB (default 64)
          --json             print the results as JSON instead of a table
          -h, --help         show this help

        Build in release mode:
          swift run -c release --package-path Benchmarks crypto-bench
        """

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// Returns nil for --help.
    static func parse(_ arguments: [String]) throws(Invalid) -> Options? {
        var options = Options()
        var rest = arguments[...]
        func value(for flag: String) throws(Invalid) -> String {
            guard let v = rest.popFirst() else { throw Invalid(description: "\(flag) needs a value") }
            return v
        }
        func number<T: LosslessStringConvertible>(_ flag: String, as: T.Type) throws(Invalid) -> T {
            let text = try value(for: flag)
            guard let n = T(text) else { throw Invalid(description: "\(flag): '\(text)' is not a number") }
            return n
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--seconds": options.seconds = try number(flag, as: Double.self)
            case "--warmup": options.warmupSeconds = try number(flag, as: Double.self)
            case "--repetitions": options.repetitions = try number(flag, as: Int.self)
            case "--recipients":
                let text = try value(for: flag)
                let counts = text.split(separator: ",").map { Int($0) }
                guard !counts.isEmpty, counts.allSatisfy({ $0 != nil }) else {
                    throw Invalid(description: "--recipients: '\(text)' is not a list of numbers")
                }
                options.recipientCounts = counts.map { $0! }
            case "--content-bytes": options.contentBytes = try number(flag, as: Int.self)
            case "--attachment-mib": options.attachmentMiB = try number(flag, as: Int.self)
            case "--json": options.json = true
            case "-h", "--help": return nil
            default: throw Invalid(description: "unknown option '\(flag)'")
            }
        }
        try options.validate()
        return options
    }

    private func validate() throws(Invalid) {
        guard seconds > 0, seconds.isFinite else { throw Invalid(description: "--seconds must be positive") }
        guard warmupSeconds >= 0, warmupSeconds.isFinite else { throw Invalid(description: "--warmup must not be negative") }
        guard repetitions >= 1 else { throw Invalid(description: "--repetitions must be at least 1") }
        guard recipientCounts.allSatisfy({ (1...Envelope.maxRecipients).contains($0) }) else {
            throw Invalid(description: "--recipients: each count must be 1...\(Envelope.maxRecipients)")
        }
        guard (0...Envelope.maxContentLength).contains(contentBytes) else {
            throw Invalid(description: "--content-bytes must be 0...\(Envelope.maxContentLength)")
        }
        guard (1...4096).contains(attachmentMiB) else { throw Invalid(description: "--attachment-mib must be 1...4096") }
    }
}
