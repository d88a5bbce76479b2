import ArgumentParser
import Foundation
import TiplineCrypto

/// Where the keystore passphrase comes from: `--passphrase-file`, then
/// `TIPLINE_PASSPHRASE_FILE`, then `TIPLINE_PASSPHRASE`, then a prompt that
/// does not echo.
public struct PassphraseOptions: ParsableArguments {
    @Option(name: .long, help: "Read the keystore passphrase from this file (first line).")
    public var passphraseFile: String?

    public init() {}

    public func passphrase(prompt: String, confirm: Bool = false) throws -> SecureBytes {
        let environment = ProcessInfo.processInfo.environment
        if let file = passphraseFile ?? environment["TIPLINE_PASSPHRASE_FILE"] {
            var bytes = try AtomicFile.read(file, limit: 4096)
            defer { for i in bytes.indices { bytes[i] = 0 } }
            let line = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
            return SecureBytes(copying: line)
        }
        if let value = environment["TIPLINE_PASSPHRASE"] {
            return SecureBytes(copying: Array(value.utf8))
        }
        let first = try TerminalPassphrase.read(prompt: prompt)
        if confirm {
            let second = try TerminalPassphrase.read(prompt: "Repeat the passphrase: ")
            guard first.constantTimeEquals(second) else { throw ValidationError("the passphrases do not match") }
        }
        return first
    }
}
