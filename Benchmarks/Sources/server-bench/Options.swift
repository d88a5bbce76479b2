/// Command-line settings. Parsed by hand, like the other benchmarks', so that
/// the benchmark needs nothing beyond what it measures.
struct Options: Sendable {
    /// Measuring time of one side at one client count.
    var seconds = 3.0
    /// Untimed running before each measurement. For the server it is also
    /// where the rate is estimated that sizes the pool of pre-solved
    /// challenges, so it must not be zero.
    var warmupSeconds = 1.0
    var clientCounts = [1, 16, 64]
    /// Tip text length before sealing. 1023 is the largest that pads to the
    /// 1 KiB bucket (one byte more needs the 0x80 pad marker's room).
    var tipBytes = 1023
    /// Distinct envelopes sealed before anything is timed and then used in
    /// turn by the server's clients and the baselines alike.
    var envelopes = 2048
    /// Rows per transaction of the batched baseline; 0 means one transaction
    /// per round of the clients, so as many rows as clients.
    var batchRows = 0
    /// Where the data directories go; nil is the system's temporary directory.
    var directory: String?
    var json = false
    /// Set in the child process: the directory of the server's database
    /// (see ``ServerChild``).
    var serve: String?

    static let usage = """
        usage: server-bench [options]

          --seconds S        measuring time of each side at each client count (default 3.0)
          --warmup S         untimed warm-up before each measurement; it also sizes the
                             pool of pre-solved challenges, so it must be > 0 (default 1.0)
          --clients LIST     concurrent client counts, comma-separated (default 1,16,64)
          --tip-bytes N      tip text length before sealing (default 1023: a 1 KiB padded envelope)
          --envelopes N      distinct envelopes sealed beforehand and used in turn (default 2048)
          --batch-rows N     rows per transaction of the batched baseline; 0 is one
                             transaction per round of the clients (default 0)
          --directory PATH   where the temporary data directories go (default: the system's
                             temporary directory); it should be on the disk you care about
          --json             print the results as JSON instead of a table
          --serve DIR        internal: run only the tip server on a store in DIR (the
                             benchmark starts its server this way)
          -h, --help         show this help

        Build in release mode:
          swift run -c release --package-path Benchmarks server-bench
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
        func list(_ flag: String) throws(Invalid) -> [Int] {
            let text = try value(for: flag)
            let items = text.split(separator: ",").map { Int($0) }
            guard !items.isEmpty, items.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw Invalid(description: "\(flag): '\(text)' is not a list of positive numbers")
            }
            return items.map { $0! }
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--seconds": options.seconds = try number(flag, as: Double.self)
            case "--warmup": options.warmupSeconds = try number(flag, as: Double.self)
            case "--clients": options.clientCounts = try list(flag)
            case "--tip-bytes": options.tipBytes = try number(flag, as: Int.self)
            case "--envelopes": options.envelopes = try number(flag, as: Int.self)
            case "--batch-rows": options.batchRows = try number(flag, as: Int.self)
            case "--directory": options.directory = try value(for: flag)
            case "--json": options.json = true
            case "--serve": options.serve = try value(for: flag)
            case "-h", "--help": return nil
            default: throw Invalid(description: "unknown option '\(flag)'")
            }
        }
        try options.validate()
        return options
    }

    private func validate() throws(Invalid) {
        guard seconds > 0, seconds.isFinite else { throw Invalid(description: "--seconds must be positive") }
        guard warmupSeconds > 0, warmupSeconds.isFinite else {
            throw Invalid(description: "--warmup must be positive: it sizes the pool of pre-solved challenges")
        }
        guard (1...65_535).contains(tipBytes) else { throw Invalid(description: "--tip-bytes must be 1…65535") }
        guard envelopes > 0 else { throw Invalid(description: "--envelopes must be positive") }
        guard batchRows >= 0 else { throw Invalid(description: "--batch-rows must not be negative") }
    }
}
