import ArgumentParser
import Foundation
import TiplineCommandLine
import TiplineCrypto
import TiplineServer

extension TiplineServerCommand {
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a data directory, the server identity keystore, and pin the organisation.",
            discussion: """
                Prints the server's identity key, which the organisation puts into its signed key bundle.

                Example:
                  tipline-server init --data-dir ./data \\
                      --org-fingerprint 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613
                """)

        @Option(help: "The data directory to create (mode 0700).")
        var dataDir: String

        @Option(help: "The organisation fingerprint this server accepts bundles from, as tipline org init printed it (11 groups of 3).")
        var orgFingerprint: String

        @Flag(help: "Use the weakest Argon2id parameters. For tests and demos only: never for a real server.")
        var insecureFastKeystore = false

        @Flag(help: "Print the result as JSON.")
        var json = false

        @OptionGroup var passphrase: PassphraseOptions

        func validate() throws {
            do { _ = try Fingerprint(parsing: orgFingerprint) } catch {
                throw ValidationError("--org-fingerprint: \(error)")
            }
        }

        func run() async throws {
            let fingerprint = try Fingerprint(parsing: orgFingerprint)
            let secret = try passphrase.passphrase(prompt: "New passphrase for the server keystore: ", confirm: true)
            guard secret.count >= 8 || insecureFastKeystore else {
                throw ValidationError("the passphrase must have at least 8 characters")
            }
            let directory = ServerDataDirectory(path: dataDir)
            let key = try directory.initialize(organisation: fingerprint, passphrase: secret,
                                               parameters: insecureFastKeystore ? .insecureForTesting : .moderate)
            if json {
                let object: [String: String] = ["dataDir": dataDir, "serverKey": Hex.encode(key.bytes),
                                                "organisation": fingerprint.description]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print("initialised \(dataDir)")
                print("organisation: \(fingerprint)")
                print("server key:   \(Hex.encode(key.bytes))")
                print("Give the server key to the organisation admin; it goes into the signed key bundle.")
            }
        }
    }
}
