import ArgumentParser
import Foundation
import TiplineClient
import TiplineCommandLine
import TiplineCrypto

extension TiplineCommand {
    struct Org: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage the organisation: its key, its responders, and the signed key bundle.",
            discussion: """
                The organisation key (org.key) signs every key bundle. Its working state, public material only,
                lives beside it in org.roster.json. Every enroll and revoke signs a new bundle version; publish
                sends the newest to the server, which accepts only bundles this key signed with a higher version.
                Keep org.key offline where you can.

                Examples:
                  tipline org init --out org.key --server-key data/server.pub
                  tipline org enroll --org-key org.key --identity alice.pub --role admin
                  tipline org publish --org-key org.key --server 127.0.0.1:7040
                  tipline org sign-release --org-key org.key dist/tip
                """,
            subcommands: [OrgInit.self, Enroll.self, Revoke.self, Policy.self, Publish.self, OrgShow.self, SignRelease.self])
    }
}

/// Options every `org` subcommand that signs shares.
struct OrgKeyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The organisation keystore.", valueName: "file"))
    var orgKey: String

    @Option(help: ArgumentHelp("Set the server's identity key: the server.pub file tipline-server init wrote, or its hex.",
                               valueName: "file"))
    var serverKey: String?

    @OptionGroup var passphrase: PassphraseOptions

    var rosterPath: String { OrgRoster.path(forOrgKey: orgKey) }

    func loadRoster() throws -> OrgRoster {
        var roster = try OrgRoster.load(from: rosterPath)
        if let serverKey { roster.serverKey = try Self.readServerKey(serverKey) }
        return roster
    }

    static func readServerKey(_ argument: String) throws -> String {
        let text = FileManager.default.fileExists(atPath: argument)
            ? String(decoding: try Data(contentsOf: URL(fileURLWithPath: argument)), as: UTF8.self) : argument
        let hex = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard Hex.decode(hex).flatMap({ SigningPublicKey(bytes: $0) }) != nil else {
            throw ToolFailure(.usage, "--server-key: not a server identity key (64 hex characters, as in server.pub)")
        }
        return hex
    }

    /// The command that publishes what was just signed, complete enough to
    /// copy: the server is the one last published to, else $TIPLINE_SERVER,
    /// else a placeholder the admin must fill in.
    func publishCommand(_ roster: OrgRoster) -> String {
        let server = roster.publishedTo ?? ProcessInfo.processInfo.environment["TIPLINE_SERVER"].flatMap { $0.isEmpty ? nil : $0 }
        return "tipline org publish --org-key \(Console.shellWord(orgKey)) --server \(server.map(Console.shellWord) ?? "HOST:PORT")"
    }

    /// Unlocks the organisation key, signs the next bundle and saves the roster.
    func signAndSave(_ roster: inout OrgRoster) throws -> SignedKeyBundle {
        let org = try KeystoreFiles.open(orgKey, passphrase: passphrase, expecting: .organisation)
        let signed = try roster.signNextBundle(with: org.signingKey, now: UInt64(Date().timeIntervalSince1970))
        try roster.save(to: rosterPath)
        return signed
    }
}

extension TiplineCommand.Org {
    struct OrgInit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create the organisation key. Prints the fingerprint tipsters and servers pin.",
            discussion: """
                Examples:
                  tipline org init --out org.key
                  tipline org init --out org.key --server-key data/server.pub --validity-days 30
                """)

        @Option(help: ArgumentHelp("Where to write the organisation keystore (mode 0600).", valueName: "file"))
        var out: String

        @Option(help: "A label for the organisation.")
        var name = "organisation"

        @Option(help: ArgumentHelp("The server's identity key: server.pub from tipline-server init, or its hex.", valueName: "file"))
        var serverKey: String?

        @Option(help: "Days each signed bundle stays valid.")
        var validityDays: UInt64 = 90

        @Flag(help: "Use the weakest Argon2id parameters. For tests and demos only.")
        var insecureFastKeystore = false

        @Flag(help: "Print the result as JSON.")
        var json = false

        @OptionGroup var passphrase: PassphraseOptions

        func run() async throws {
            let rosterPath = OrgRoster.path(forOrgKey: out)
            guard !FileManager.default.fileExists(atPath: out), !FileManager.default.fileExists(atPath: rosterPath) else {
                throw ToolFailure(.usage, "\(out) or \(rosterPath) exists already; refusing to overwrite an organisation")
            }
            let contents = KeystoreContents.generate(role: .organisation, name: name,
                                                     parameters: insecureFastKeystore ? .insecureForTesting : .sensitive)
            var roster = OrgRoster()
            roster.validityDays = validityDays
            if let serverKey { roster.serverKey = try OrgKeyOptions.readServerKey(serverKey) }
            try KeystoreFiles.create(contents, at: out, passphrase: passphrase, insecure: insecureFastKeystore)
            try roster.save(to: rosterPath)
            let fingerprint = Fingerprint(organisationKey: contents.signingKey.publicKey)
            if json {
                try Console.json(["fingerprint": fingerprint.description, "orgKey": out, "roster": rosterPath])
            } else {
                Console.output("organisation fingerprint: \(Console.bold(fingerprint.description))")
                Console.output("Give this fingerprint to tipsters and to tipline-server init --org-fingerprint.")
                Console.output("Wrote \(out) (keep it offline and backed up) and \(rosterPath).")
            }
        }
    }

    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a responder and sign a new bundle version.",
            discussion: """
                Compare the fingerprint printed here with the one the responder sees, over another channel,
                before you publish.

                Example:
                  tipline org enroll --org-key org.key --identity alice.pub --role admin
                """)

        @OptionGroup var options: OrgKeyOptions

        @Option(help: ArgumentHelp("The responder's identity file (from tipline responder init).", valueName: "file"))
        var identity: String

        @Option(help: "responder or admin.")
        var role = "responder"

        @Flag(help: "Print the result as JSON.")
        var json = false

        func run() async throws {
            guard ["responder", "admin"].contains(role) else { throw ToolFailure(.usage, "--role must be responder or admin") }
            let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: identity)), as: UTF8.self)
            let parsed = try ResponderIdentity(parsing: text)
            var roster = try options.loadRoster()
            try roster.enroll(parsed, role: role == "admin" ? .admin : .responder)
            let signed = try options.signAndSave(&roster)
            BundleReport.print(signed.unverifiedBundle, json: json,
                               note: "Enrolled \(parsed.name) (\(parsed.fingerprint)). Publish with: \(options.publishCommand(roster))")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a responder and sign a new bundle version.",
            discussion: """
                The server refuses the responder from the moment the new bundle is published, and new tips are
                no longer sealed to them. Tips already sealed to them stay readable with their key.

                Example:
                  tipline org revoke --org-key org.key --responder bob && tipline org publish --org-key org.key --server 127.0.0.1:7040
                """)

        @OptionGroup var options: OrgKeyOptions

        @Option(help: ArgumentHelp("The responder's name or key id.", valueName: "name"))
        var responder: String

        @Flag(help: "Print the result as JSON.")
        var json = false

        func run() async throws {
            var roster = try options.loadRoster()
            try roster.revoke(responder)
            let signed = try options.signAndSave(&roster)
            BundleReport.print(signed.unverifiedBundle, json: json,
                               note: "Revoked \(responder). Publish now: \(options.publishCommand(roster))")
        }
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send the newest signed bundle to the server.",
            discussion: """
                Example:
                  tipline org publish --org-key org.key --server 127.0.0.1:7040
                """)

        @Option(help: ArgumentHelp("The organisation keystore (only its roster is read).", valueName: "file"))
        var orgKey: String

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            var roster = try OrgRoster.load(from: OrgRoster.path(forOrgKey: orgKey))
            guard let signed = try roster.lastSigned() else {
                throw ToolFailure(.usage, "nothing to publish: enroll a responder first")
            }
            let client = try await connection.connect()
            defer { Task { await client.close() } }
            let version = try await client.publishBundle(signed)
            // Remembered for the next enroll or revoke's publish hint.
            let address = try connection.address().description
            if roster.publishedTo != address {
                roster.publishedTo = address
                try roster.save(to: OrgRoster.path(forOrgKey: orgKey))
            }
            Console.output("published bundle version \(version) with \(signed.unverifiedBundle.responders.count) responder(s)")
        }
    }

    struct OrgShow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print a bundle with its fingerprints: the newest signed locally, or the server's.",
            discussion: """
                Examples:
                  tipline org show --org-key org.key
                  tipline org show --server 127.0.0.1:7040 --org 1B6-X4F-2RQ-… --json
                """)

        @Option(help: ArgumentHelp("Show the newest bundle signed with this organisation key.", valueName: "file"))
        var orgKey: String?

        @OptionGroup var connection: ConnectionOptions

        @Option(help: ArgumentHelp("With --server: the fingerprint to verify the server's bundle against (or $TIPLINE_ORG).",
                                   valueName: "fingerprint"))
        var org: String?

        @Flag(help: "Print the bundle as JSON.")
        var json = false

        func run() async throws {
            if let orgKey {
                guard let signed = try OrgRoster.load(from: OrgRoster.path(forOrgKey: orgKey)).lastSigned() else {
                    throw ToolFailure(.usage, "no bundle signed yet")
                }
                BundleReport.print(signed.unverifiedBundle, json: json, note: nil)
                return
            }
            // Like the responder commands, the environment can name the organisation.
            guard let org = org ?? ProcessInfo.processInfo.environment["TIPLINE_ORG"].flatMap({ $0.isEmpty ? nil : $0 }) else {
                throw ToolFailure(.usage, "give --org-key, or --server with --org (or set TIPLINE_ORG)")
            }
            let pinned = try Fingerprint(typed: org, from: self.org == nil ? "TIPLINE_ORG" : "--org")
            let client = try await connection.connect()
            defer { Task { await client.close() } }
            let (bundle, _) = try await TrustedBundles.current(over: client, pinned: pinned)
            BundleReport.print(bundle, json: json, note: "Verified against \(pinned).")
        }
    }
}
