import ArgumentParser
import Foundation
import TiplineCommandLine
import TiplineCrypto

extension TiplineCommand.Org {
    struct SignRelease: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-release",
            abstract: "Sign a program you give out, so that tipsters can check that their copy is genuine.",
            discussion: """
                Writes FILE.sig: the organisation's signature over the file's size and hash, with its public key,
                so that checking it needs only your fingerprint (PROTOCOL.md §9.1). Publish the .sig beside the
                file, with the check command printed here. The roster is not changed.

                Examples:
                  tipline org sign-release --org-key org.key dist/tip
                  tipline org sign-release --org-key org.key dist/tipline --out web/tipline.sig --json
                """)

        @Argument(help: ArgumentHelp("The file to sign.", valueName: "file"))
        var file: String

        @Option(help: ArgumentHelp("The organisation keystore.", valueName: "file"))
        var orgKey: String

        @Option(help: ArgumentHelp("Where to write the signature (default: the file's path with .sig added).", valueName: "file"))
        var out: String?

        @Option(help: ArgumentHelp("The name to sign, shown to whoever checks it (default: the file's name).", valueName: "name"))
        var name: String?

        @Flag(help: "Print the result as JSON.")
        var json = false

        @OptionGroup var passphrase: PassphraseOptions

        /// The name a tipster will see, checked before the organisation key is unlocked.
        var signedName: String { name ?? (file as NSString).lastPathComponent }

        func validate() throws {
            guard ReleaseSignature.isValidName(signedName) else {
                throw ValidationError("\(name == nil ? "the file's name" : "--name") cannot be signed: a release name is 1 to 255 "
                                      + "bytes, with no control character and no /")
            }
        }

        func run() async throws {
            let out = out ?? file + ".sig"
            let name = signedName
            // The file is read before the passphrase is asked for, so a wrong path costs no unlock.
            guard FileManager.default.isReadableFile(atPath: file) else { throw ToolFailure(.failure, "cannot read \(file)") }
            let organisation = try KeystoreFiles.open(orgKey, passphrase: passphrase, expecting: .organisation)
            let signed = try ReleaseFiles.sign(file, name: name, out: out, organisation: organisation,
                                               now: UInt64(Date().timeIntervalSince1970))
            let fingerprint = signed.organisationFingerprint.description
            // The names as they will sit side by side in a tipster's download folder.
            let check = "tip verify-release \(Console.shellWord((file as NSString).lastPathComponent)) "
                + "\(Console.shellWord((out as NSString).lastPathComponent)) --org \(fingerprint)"
            if json {
                struct Result: Encodable {
                    let file: String
                    let signature: String
                    let name: String
                    let size: UInt64
                    let releaseHash: String
                    let organisation: String
                    let signedAt: UInt64
                    let check: String
                }
                try Console.json(Result(file: file, signature: out, name: signed.name, size: signed.file.size,
                                        releaseHash: Hex.encode(signed.file.hash), organisation: fingerprint,
                                        signedAt: signed.signedAt, check: check))
                return
            }
            Console.output("signed \(TerminalText.clean(file, newlines: false)) (\(signed.file.size) bytes) as \"\(TerminalText.clean(name, newlines: false))\" "
                           + "for organisation \(fingerprint)")
            Console.output("wrote \(TerminalText.clean(out, newlines: false))")
            Console.output("Tipsters check their copy with a tip they already trust:")
            Console.output("  \(check)")
        }
    }
}
