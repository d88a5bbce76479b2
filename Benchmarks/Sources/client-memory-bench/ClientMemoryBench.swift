import Foundation

/// Measures the peak resident memory of the release `tip submit` and
/// `tipline attachments` moving a small and a large attachment through a
/// real server, and how much it grows with the file. See README.md.
@main
struct ClientMemoryBench {
    static func main() {
        let options: Options
        do {
            guard let parsed = try Options.parse(Array(CommandLine.arguments.dropFirst())) else {
                print(Options.usage)
                return
            }
            options = parsed
        } catch {
            Progress.note("client-memory-bench: \(error)\n\n\(Options.usage)")
            exit(2)
        }
        do {
            let report = try BenchmarkRun(options: options).run()
            print(options.json ? try report.json() : report.table())
        } catch {
            Progress.note("client-memory-bench: \(error)")
            exit(1)
        }
    }
}
