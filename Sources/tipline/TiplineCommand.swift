import ArgumentParser
import TiplineCommandLine

@main
struct TiplineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tipline",
        abstract: "Responders read, triage and answer tips; admins manage the organisation; auditors check it all.",
        discussion: """
            Responder commands take --server, --key and --org, or TIPLINE_SERVER, TIPLINE_KEY and TIPLINE_ORG.
            Passphrases come from a prompt that does not echo, --passphrase-file, or TIPLINE_PASSPHRASE.

            Examples:
              tipline org init --out org.key --server-key data/server.pub
              tipline responder init --out alice.key --name alice
              tipline org enroll --org-key org.key --identity alice.pub --role admin
              tipline org publish --org-key org.key --server 127.0.0.1:7040
              export TIPLINE_SERVER=127.0.0.1:7040 TIPLINE_KEY=alice.key TIPLINE_ORG=1B6-X4F-2RQ-…
              tipline inbox
              tipline show 3f9a
              tipline triage 3f9a --status investigating --assign alice --tag urgent --note "Called the embassy"
              tipline reply 3f9a --message "Thank you. Are you safe now?"
              tipline audit --server 127.0.0.1:7040 --org 1B6-X4F-2RQ-… --db data/tipline.sqlite
            """,
        subcommands: [Org.self, ResponderCommand.self, Keys.self, Inbox.self, Show.self, Triage.self, Reply.self, Attachments.self,
                      Export.self, Audit.self])

    static func main() async {
        await ToolMain.run(TiplineCommand.self, name: "tipline")
    }
}
