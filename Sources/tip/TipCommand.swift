import ArgumentParser
import Foundation
import Glibc
import TiplineCommandLine

@main
struct TipCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tip",
        abstract: "Send a tip, safely and anonymously, and read the replies.",
        discussion: """
            Everything you send is encrypted on this device to the organisation's responders before it leaves.
            You get a codename: with it, and only with it, you can read replies and add to your tip later.
            tip writes nothing to this device: no history, no settings, no temporary files (only Tor's,
            while tip runs).
            tip speaks English, 简体中文, 繁體中文, Tiếng Việt, ภาษาไทย, Bahasa Indonesia, Bahasa Melayu, Tagalog,
            မြန်မာဘာသာ, ភាសាខ្មែរ and ພາສາລາວ: --lang, or the locale (LANG), chooses.

            For a .onion address, tip starts Tor by itself and stops it when done: install the tor
            program first (Debian, Ubuntu: apt install tor). Where Tor already runs (Tails, Whonix),
            use --proxy instead.

            Examples:
              tip submit --server tipline.example.onion:7040 --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613
              tip check  --server tipline.example.onion:7040 --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613
              tip submit --server tipline.example.onion:7040 --proxy socks5://127.0.0.1:9050 \\
                  --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613
              tip resend --server tipline.example.onion:7040 \\
                  --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613 photo.jpg
            """,
        subcommands: [Submit.self, Check.self, Resend.self, VerifyRelease.self])

    /// `tip --lang th submit` as well as `tip submit --lang th`.
    @OptionGroup var language: LanguageOption

    static func main() async {
        let arguments = ProcessArguments.arguments
        do {
            if let language = try LanguageChoice.resolve(arguments: arguments, environment: ProcessInfo.processInfo.environment) {
                Localization.choose(language)
            } else {
                TipLanguage.undecided = true
            }
        } catch {
            Console.error("tip: \(error)")
            Glibc.exit(ToolFailure.Code.usage.rawValue)
        }
        if let help = TipLanguage.help(for: arguments) {
            Console.output(help)
            Glibc.exit(0)
        }
        await ToolMain.run(TipCommand.self, name: "tip", describe: TipsterWords.failure, usage: TipLanguage.usage)
    }
}
