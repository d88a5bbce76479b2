import ArgumentParser
import TiplineCommandLine
import TiplineCrypto

extension TipCommand {
    struct VerifyRelease: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-release",
            abstract: "Check that a copy of tip (or tipline) is the one your organisation signed.",
            discussion: """
                Give the program, the .sig file that came with it, and the organisation fingerprint you were given.
                Run this with a copy of tip you already trust, never with the new copy itself: a changed program
                could say anything about itself.

                Exit status: 0 genuine; 4 not genuine (changed, incomplete, or signed by someone else): do not run
                it; 2 the fingerprint has a typo; 1 a file cannot be read.

                Example:
                  tip verify-release tip tip.sig --org 1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613
                """)

        @Argument(help: ArgumentHelp("The program to check.", valueName: "file"))
        var file: String

        @Argument(help: ArgumentHelp("Its signature file (usually the same name with .sig).", valueName: "signature"))
        var signature: String

        @Option(help: ArgumentHelp("The organisation fingerprint you were given (11 groups of 3).", valueName: "fingerprint"))
        var org: String

        @OptionGroup var language: LanguageOption

        @Flag(help: "Print the result as JSON.")
        var json = false

        func run() async throws {
            // A typo is caught by the check symbol first, and is never reported as "not genuine".
            let pinned: Fingerprint
            do {
                pinned = try Fingerprint(typed: org, from: "--org")
            } catch {
                throw ReleaseWords.typo(error)
            }
            let signed: ReleaseSignature
            do {
                signed = try ReleaseFiles.verify(file, signature: signature, pinned: pinned)
            } catch {
                throw ReleaseWords.failure(error, signature: signature)
            }
            if json {
                struct Result: Encodable {
                    let genuine: Bool
                    let file: String
                    let name: String
                    let organisation: String
                    let signedAt: UInt64
                    let size: UInt64
                }
                try Console.json(Result(genuine: true, file: file, name: signed.name, organisation: pinned.description,
                                        signedAt: signed.signedAt, size: signed.file.size))
                return
            }
            Console.output(L("verify.genuine"))
            Console.output(L("verify.signed", ["file": TerminalText.clean(file, newlines: false),
                                               "name": TerminalText.clean(signed.name, newlines: false),
                                               "date": Time.format(signed.signedAt)]))
        }
    }
}
