/// Command-line settings. Parsed by hand, like crypto-bench's, so that the
/// benchmark needs nothing beyond the two RPC stacks it compares.
struct Options: Sendable {
    /// Measuring time of one case (one stack, connection count and in-flight count).
    var seconds = 2.0
    /// Untimed running before each case is measured: connection buffers,
    /// lazily initialised metadata and CPU frequency settle first.
    var warmupSeconds = 0.5
    var connectionCounts = [1, 8]
    var inFlightCounts = [1, 16, 256]
    /// Idle connections opened for the memory measurement; 0 skips it.
    var idleConnections = 1000
    /// Length of the BytesValue both stacks echo.
    var payloadBytes = 256
    var json = false
    /// Set in the child process: which server to run (see ``ServerChild``).
    var serve: Stack?

    static let usage = """
        usage: rpc-bench [options]

          --seconds S          measuring time of each case (default 2.0)
          --warmup S           untimed warm-up before each case (default 0.5)
          --connections LIST   connection counts, comma-separated (default 1,8)
          --in-flight LIST     calls kept in flight, comma-separated (default 1,16,256)
          --idle-connections N idle connections for the server memory test; 0 skips it (default 1000)
          --payload-bytes N    bytes in the echoed BytesValue (default 256)
          --json               print the results as JSON instead of a table
          --serve STACK        internal: run only the tipline or grpc server (the
                               benchmark starts its servers this way)
          -h, --help           show this help

        Build in release mode:
          swift run -c release --package-path Benchmarks rpc-bench
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
            case "--connections": options.connectionCounts = try list(flag)
            case "--in-flight": options.inFlightCounts = try list(flag)
            case "--idle-connections": options.idleConnections = try number(flag, as: Int.self)
            case "--payload-bytes": options.payloadBytes = try number(flag, as: Int.self)
            case "--json": options.json = true
            case "--serve":
                let name = try value(for: flag)
                guard let stack = Stack(rawValue: name) else { throw Invalid(description: "--serve: '\(name)' is not tipline or grpc") }
                options.serve = stack
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
        guard idleConnections >= 0 else { throw Invalid(description: "--idle-connections must not be negative") }
        // The upper bound keeps the message under both stacks' default limits.
        guard (0...65_536).contains(payloadBytes) else { throw Invalid(description: "--payload-bytes must be 0…65536") }
    }
}
