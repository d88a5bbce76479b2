import Foundation
import TiplineClient
import TiplineCrypto

/// `inbox-bench`: how long `tipline inbox` takes to turn N cached sealed tips
/// into cases (open on every core, parse, fold), against bare libsodium
/// opening the same envelopes, one core and every core, in the same run.
///
///   swift run -c release --package-path Benchmarks inbox-bench [--tips 10000] [--responders 3] [--repetitions 5]
@main
struct InboxBench {
    static func main() throws {
        var tips = 10_000, responders = 3, repetitions = 5
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            switch argument {
            case "--tips": tips = Int(arguments.next() ?? "") ?? tips
            case "--responders": responders = Int(arguments.next() ?? "") ?? responders
            case "--repetitions": repetitions = Int(arguments.next() ?? "") ?? repetitions
            case "--help", "-h":
                print("usage: inbox-bench [--tips N] [--responders R] [--repetitions K]")
                return
            default:
                FileHandle.standardError.write(Data("inbox-bench: unknown argument \(argument)\n".utf8))
                exit(2)
            }
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        FileHandle.standardError.write(Data("sealing \(tips) tips to \(responders) responders…\n".utf8))
        let fixture = try InboxFixture(tips: tips, responders: responders)
        let bare = BareOpenLoop(reader: fixture.reader)

        // Each side must do the whole job, or the comparison means nothing.
        let cases = InboxDecryptor.cases(from: fixture.items, key: fixture.reader, bundles: [fixture.bundle])
        guard cases.count == tips, cases.allSatisfy({ $0.problem == nil && $0.warning == nil }) else { fatalError("ours failed to open") }
        guard bare.open(fixture.envelopes, 0..<tips) == tips else { fatalError("the baseline failed to open") }

        func seconds(_ body: () -> Void) -> Double {
            let start = ContinuousClock.now
            body()
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        var ours: [Double] = [], openOnly: [Double] = [], bareOne: [Double] = [], bareAll: [Double] = []
        for _ in 0..<repetitions {
            ours.append(seconds { _ = InboxDecryptor.cases(from: fixture.items, key: fixture.reader, bundles: [fixture.bundle]) })
            openOnly.append(seconds { _ = InboxDecryptor.openAll(fixture.envelopes, with: fixture.reader) })
            bareOne.append(seconds { _ = bare.open(fixture.envelopes, 0..<tips) })
            bareAll.append(seconds { _ = bare.openParallel(fixture.envelopes, workers: cores) })
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let (o, b1, bn) = (median(ours), median(bareOne), median(bareAll))
        func rate(_ s: Double) -> String { String(format: "%8.0f tips/s", Double(tips) / s) }
        print("inbox-bench: \(tips) tips, \(responders) responders, \(cores) cores, median of \(repetitions)")
        print("  tipline inbox decrypt+parse+fold (all cores)  \(String(format: "%7.3f s", o))  \(rate(o))")
        let open = median(openOnly)
        print("    of which opening alone (all cores)          \(String(format: "%7.3f s", open))  \(rate(open))")
        print("  bare libsodium open loop, 1 core              \(String(format: "%7.3f s", b1))  \(rate(b1))")
        print("  bare libsodium open loop, \(cores) cores             \(String(format: "%7.3f s", bn))  \(rate(bn))")
        print(String(format: "  ratio ours / bare (throughput): %.2f× the 1-core loop, %.2f× the %d-core loop", b1 / o, bn / o, cores))
    }
}
