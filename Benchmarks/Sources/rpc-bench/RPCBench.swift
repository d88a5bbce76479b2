import Foundation

/// Compares Tipline RPC with gRPC (grpc-swift 2, HTTP/2) on a unary echo:
/// calls per second and latency at several loads, and server memory with many
/// idle connections. See README.md.
@main
struct RPCBench {
    static func main() async {
        let options: Options
        do {
            guard let parsed = try Options.parse(Array(CommandLine.arguments.dropFirst())) else {
                print(Options.usage)
                return
            }
            options = parsed
        } catch {
            Progress.note("rpc-bench: \(error)\n\n\(Options.usage)")
            exit(2)
        }

        if let stack = options.serve {
            do {
                try await ServerChild.run(stack)
            } catch {
                Progress.note("rpc-bench --serve \(stack.rawValue): \(error)")
                exit(1)
            }
            return
        }

        #if DEBUG
        // Unoptimised Swift is many times slower; and the two stacks would not
        // be slowed alike, so even the ratios of a debug build mean nothing.
        Progress.note("warning: this is a debug build; its numbers are meaningless. Use `swift run -c release`.")
        #endif

        do {
            let cases = options.connectionCounts.count * options.inFlightCounts.count * Stack.allCases.count
            Progress.note("rpc-bench: \(cases) cases × \(options.warmupSeconds + options.seconds) s, then the memory test")
            let report = try await BenchmarkRun(options: options).run()
            print(options.json ? try report.json() : report.table())
        } catch {
            Progress.note("rpc-bench: \(error)")
            exit(1)
        }
    }
}
