import ArgumentParser
import Foundation
import TiplineClient
import TiplineCommandLine
import TiplineCrypto

extension TiplineCommand {
    struct ResponderCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "responder",
            abstract: "Create a responder's keys.",
            subcommands: [ResponderInit.self])
    }
}

extension TiplineCommand.ResponderCommand {
    struct ResponderInit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a responder keystore and the public identity file to give the organisation admin.",
            discussion: """
                Writes the keystore (mode 0600, Argon2id MODERATE) and, beside it, NAME.pub with the public keys.

                Example:
                  tipline responder init --out alice.key --name alice
                """)

        @Option(help: ArgumentHelp("Where to write the keystore.", valueName: "file"))
        var out: String

        @Option(help: "Your name as colleagues will see it (1–64 bytes).")
        var name: String

        @Option(help: ArgumentHelp("Where to write the public identity (default: the keystore's name with .pub).", valueName: "file"))
        var identityOut: String?

        @Flag(help: "Use the weakest Argon2id parameters. For tests and demos only.")
        var insecureFastKeystore = false

        @Flag(help: "Print the result as JSON.")
        var json = false

        @OptionGroup var passphrase: PassphraseOptions

        func run() async throws {
            guard Responder.isValidName(name) else { throw ToolFailure(.usage, "--name must be 1–64 bytes with no control characters") }
            let identityPath = identityOut ?? (out.hasSuffix(".key") ? String(out.dropLast(4)) : out) + ".pub"
            guard !FileManager.default.fileExists(atPath: identityPath) else {
                throw ToolFailure(.usage, "\(identityPath) exists already")
            }
            let contents = KeystoreContents.generate(role: .responder, name: name,
                                                     parameters: insecureFastKeystore ? .insecureForTesting : .moderate)
            try KeystoreFiles.create(contents, at: out, passphrase: passphrase, insecure: insecureFastKeystore)
            let identity = ResponderIdentity(name: name, signingKey: contents.signingKey.publicKey, boxKey: contents.boxKey.publicKey)
            try AtomicFile.write(Array(identity.text.utf8), to: identityPath, mode: 0o644)
            if json {
                try Console.json(["keystore": out, "identity": identityPath, "fingerprint": identity.fingerprint.description,
                                  "keyId": identity.signingKey.keyId.description])
            } else {
                Console.output("wrote \(out) and \(identityPath)")
                Console.output("your fingerprint: \(Console.bold(identity.fingerprint.description))")
                Console.output("Give \(identityPath) to the organisation admin, and read them this fingerprint over another channel.")
            }
        }
    }
}
