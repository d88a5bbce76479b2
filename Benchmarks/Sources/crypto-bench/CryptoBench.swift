import Foundation
import TiplineCrypto

/// Times TiplineCrypto's envelopes and attachment streams against bare
/// libsodium doing the same primitive work, in one process on one thread, and
/// prints ours, bare and ours/bare for each operation. See README.md.
@main
struct CryptoBench {
    static func main() {
        let options: Options
        do {
            guard let parsed = try Options.parse(Array(CommandLine.arguments.dropFirst())) else {
                print(Options.usage)
                return
            }
            options = parsed
        } catch {
            Progress.note("crypto-bench: \(error)\n\n\(Options.usage)")
            exit(2)
        }
        #if DEBUG
        // Unoptimised Swift is many times slower than the C it wraps: the
        // ratios of a debug build say nothing about the release app.
        Progress.note("warning: this is a debug build; its numbers are meaningless. Use `swift run -c release`.")
        #endif

        do {
            Progress.note("crypto-bench: \(options.repetitions) × \(options.seconds) s per side; this takes a while")
            let results = try EnvelopeBench.run(options) + AttachmentBench.run(options)
            let report = RunReport(
                settings: .init(
                    secondsPerRepetition: options.seconds,
                    warmupSeconds: options.warmupSeconds,
                    repetitions: options.repetitions,
                    contentBytes: options.contentBytes,
                    paddedContentBytes: EnvelopePadding.paddedLength(forContentLength: options.contentBytes)!,
                    attachmentBytes: options.attachmentMiB * 1024 * 1024,
                    attachmentFeedBytes: AttachmentBench.feedSize),
                machine: .init(
                    libsodium: Sodium.versionString,
                    activeProcessors: ProcessInfo.processInfo.activeProcessorCount,
                    operatingSystem: ProcessInfo.processInfo.operatingSystemVersionString,
                    threads: 1),
                results: results)
            print(options.json ? try report.json() : report.table())
        } catch {
            Progress.note("crypto-bench: \(error)")
            exit(1)
        }
    }
}
