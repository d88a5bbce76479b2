import Foundation

/// Measures the real tip server's durable submissions per second and latency
/// at several client counts, beside two raw GRDB baselines on the same disk:
/// one transaction per row, and batched. See README.md.
@main
struct ServerBench {
    static func main() async {
        let options: Options
        do {
            guard let parsed = try Options.parse(Array(CommandLine.arguments.dropFirst())) else {
                print(Options.usage)
                return
            }
            options = parsed
        } catch {
            Progress.note("server-bench: \(error)\n\n\(Options.usage)")
            exit(2)
        }

        if let directory = options.serve {
            do {
                try await ServerChild.run(directory: directory)
            } catch {
                Progress.note("server-bench --serve: \(error)")
                exit(1)
            }
            return
        }

        #if DEBUG
        // Unoptimised Swift slows the server's CPU work many times and the
        // baselines' hardly at all, so even the ratios of a debug build mean nothing.
        Progress.note("warning: this is a debug build; its numbers are meaningless. Use `swift run -c release`.")
        #endif

        do {
            let perCount = 3 * (options.warmupSeconds + options.seconds)
            Progress.note("server-bench: \(options.clientCounts.count) client counts × 3 sides × "
                + "\(Format.number(options.warmupSeconds + options.seconds)) s, about \(Int(perCount * Double(options.clientCounts.count) + 5)) s in all")
            let report = try await BenchmarkRun(options: options).run()
            print(options.json ? try report.json() : report.table())
        } catch {
            Progress.note("server-bench: \(error)")
            exit(1)
        }
    }
}
