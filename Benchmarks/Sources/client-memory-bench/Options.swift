/// Command-line settings. Parsed by hand, like the other benchmarks', so that
/// the benchmark needs nothing beyond what it measures.
struct Options: Sendable {
    /// Attachment sizes, in MiB. The first is the baseline every other size's
    /// growth is measured from.
    var sizesMiB = [1, 1024]
    /// Where the release `tip`, `tipline` and `tipline-server` are.
    var binDirectory = ".build/release"
    /// Where the scratch directory goes; nil is the system's temporary directory.
    var directory: String?
    /// The responder's keystore at Argon2id MODERATE, as a real one is,
    /// instead of the minimum: unlocking it then costs 256 MiB whatever the
    /// file's size, which hides the download's own memory below it.
    var moderateKeystore = false
    var json = false

    /// The growth the issue allows from the first size to the last.
    static let aimMiB = 32

    static let usage = """
        usage: client-memory-bench [options]

          --sizes LIST          attachment sizes in MiB, comma-separated; growth is measured
                                from the first (default 1,1024)
          --bin DIR             the release tip, tipline and tipline-server (default .build/release;
                                build them with `swift build -c release` at the repository root)
          --directory PATH      where the temporary server data, files and downloads go (default:
                                the system's temporary directory); it needs about twice the
                                largest size free: the server's copy and the saved file
          --moderate-keystore   the responder's keystore at Argon2id MODERATE, as a real one is
                                (unlocking costs 256 MiB, the same for every file)
          --json                print the results as JSON instead of a table
          -h, --help            show this help

        Build the tools, then the benchmark, in release mode:
          swift build -c release
          swift run -c release --package-path Benchmarks client-memory-bench
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
        while let flag = rest.popFirst() {
            switch flag {
            case "--sizes":
                let text = try value(for: flag)
                let items = text.split(separator: ",").map { Int($0) }
                guard items.count >= 2, items.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0) <= 65_536 }) else {
                    throw Invalid(description: "--sizes: '\(text)' is not a list of at least two sizes of 1…65536 MiB")
                }
                options.sizesMiB = items.map { $0! }
            case "--bin": options.binDirectory = try value(for: flag)
            case "--directory": options.directory = try value(for: flag)
            case "--moderate-keystore": options.moderateKeystore = true
            case "--json": options.json = true
            case "-h", "--help": return nil
            default: throw Invalid(description: "unknown option '\(flag)'")
            }
        }
        return options
    }
}
