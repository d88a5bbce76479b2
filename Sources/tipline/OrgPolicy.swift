import ArgumentParser
import TiplineClient
import TiplineCommandLine
import TiplineCrypto

extension TiplineCommand.Org {
    /// The receiving-key policy of the organisation's bundles (issue 15, PROTOCOL.md §3.1).
    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set how long receiving keys last, how long they are kept after, and what a tip does without one.",
            discussion: """
                Tips are sealed to each responder's short-lived receiving key, which their tools destroy once its
                window and grace period are over. A responder with no valid receiving key is left out of a tip
                (the default), or, with --identity-fallback, gets it sealed to their long-term key, which is not
                forward-secret: anyone who later obtains that key reads the tip.

                Durations are seconds, or a number with s, m, h or d. A window is 60 s to 90 d; a grace 0 to 365 d.
                Signs a new bundle version; publish it afterwards.

                Examples:
                  tipline org policy --org-key org.key --receiving-window 7d --receiving-grace 14d
                  tipline org policy --org-key org.key --identity-fallback
                """)

        @OptionGroup var options: OrgKeyOptions

        @Option(help: ArgumentHelp("How long each receiving key is valid (default 7d).", valueName: "duration"))
        var receivingWindow: String?

        @Option(help: ArgumentHelp("How long a receiving key is kept after its window, for syncing (default 14d).",
                                   valueName: "duration"))
        var receivingGrace: String?

        @Flag(help: "Seal to the long-term key of a responder who has no receiving key (not forward-secret).")
        var identityFallback = false

        @Flag(help: "Leave out a responder who has no receiving key (the default).")
        var skipWithoutKey = false

        @Flag(help: "Print the result as JSON.")
        var json = false

        func validate() throws {
            if identityFallback && skipWithoutKey { throw ValidationError("give --identity-fallback or --skip-without-key, not both") }
        }

        func run() async throws {
            var roster = try options.loadRoster()
            if let receivingWindow { roster.receivingWindow = try Self.seconds(receivingWindow, option: "--receiving-window") }
            if let receivingGrace { roster.receivingGrace = try Self.seconds(receivingGrace, option: "--receiving-grace") }
            if identityFallback { roster.identityFallback = true }
            if skipWithoutKey { roster.identityFallback = false }
            do {
                _ = try roster.receivingKeyPolicy
            } catch {
                throw ToolFailure(.usage, "the receiving window must be 60 s to 90 d, and the grace 0 to 365 d")
            }
            let signed = try options.signAndSave(&roster)
            BundleReport.print(signed.unverifiedBundle, json: json, note: "Policy set. Publish now: \(options.publishCommand(roster))")
        }

        /// "3600", "90s", "15m", "12h", "7d" → seconds, within UInt32.
        static func seconds(_ text: String, option: String) throws -> UInt32 {
            let units: [Character: UInt64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
            var digits = Substring(text.trimmingCharacters(in: .whitespaces))
            var unit: UInt64 = 1
            if let last = digits.last, let factor = units[last] {
                unit = factor
                digits = digits.dropLast()
            }
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = UInt64(digits),
                  case let (total, overflow) = value.multipliedReportingOverflow(by: unit), !overflow,
                  let seconds = UInt32(exactly: total)
            else { throw ToolFailure(.usage, "\(option): \(text) is not a duration; write e.g. 3600, 90m, 12h or 7d") }
            return seconds
        }
    }
}
