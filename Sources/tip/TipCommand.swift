import ArgumentParser
import TiplineCommandLine

@main
struct TipCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tip",
        abstract: "Send a tip, safely and anonymously, and read the replies.",
        discussion: """
            Everything you send is encrypted on this device to the organisation's responders before it leaves.
            You get a codename: with it, and only with it, you can read replies and add to your tip later.
            tip writes nothing to this device: no history, no settings, no temporary files.

            Examples:
              tip submit --server tipline.example.onion:7040 --proxy socks5://127.0.0.1:9050 \\
                  --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613
              tip check  --server tipline.example.onion:7040 --proxy socks5://127.0.0.1:9050 \\
                  --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613
            """,
        subcommands: [Submit.self, Check.self, VerifyRelease.self])

    static func main() async {
        await ToolMain.run(TipCommand.self, name: "tip")
    }
}
