import ArgumentParser
import Foundation
import TiplineCrypto

/// Creating and opening keystores from the command line.
public enum KeystoreFiles {
    /// Opens a keystore, asking for its passphrase.
    public static func open(_ path: String, passphrase: PassphraseOptions, expecting role: KeystoreRole) throws -> KeystoreContents {
        try openKeepingPassphrase(path, passphrase: passphrase, expecting: role).contents
    }

    /// Opens a keystore and keeps its passphrase (in locked memory, zeroed
    /// when released) for rewriting it: a responder's receiving keys are
    /// added and destroyed in the same run (PROTOCOL.md §3.6).
    public static func openKeepingPassphrase(_ path: String, passphrase: PassphraseOptions, expecting role: KeystoreRole) throws
        -> (contents: KeystoreContents, passphrase: SecureBytes) {
        let secret = try passphrase.passphrase(prompt: "Passphrase for \((path as NSString).lastPathComponent): ")
        let contents: KeystoreContents
        do {
            contents = try Keystore.read(from: path, passphrase: secret)
        } catch .wrongPassphrase {
            throw ToolFailure(.refused, "wrong passphrase for \(path)")
        } catch {
            throw ToolFailure(.failure, "cannot open \(path): \(error)")
        }
        guard contents.role == role else {
            throw ToolFailure(.usage, "\(path) holds \(contents.role) keys, not \(role) keys")
        }
        return (contents, secret)
    }

    /// Replaces a keystore with `contents`, under the same passphrase; the
    /// old file's bytes are zeroed once the new one is in place.
    public static func replace(_ path: String, with contents: KeystoreContents, passphrase: SecureBytes) throws {
        do {
            try Keystore.write(contents, passphrase: passphrase, to: path, overwrite: true)
        } catch {
            throw ToolFailure(.failure, "cannot write \(path): \(error); the keys in it are unchanged")
        }
    }

    /// Writes a new keystore (refusing to overwrite), asking for a new passphrase twice.
    public static func create(_ contents: KeystoreContents, at path: String, passphrase: PassphraseOptions,
                              insecure: Bool) throws {
        let secret = try passphrase.passphrase(prompt: "New passphrase for \((path as NSString).lastPathComponent): ", confirm: true)
        guard secret.count >= 8 || insecure else { throw ToolFailure(.usage, "the passphrase must have at least 8 characters") }
        if insecure {
            Console.warning("--insecure-fast-keystore: this keystore can be brute-forced quickly. Use it for tests and demos only.")
        }
        do {
            try Keystore.write(contents, passphrase: secret, to: path)
        } catch {
            throw ToolFailure(.failure, "cannot write \(path): \(error)")
        }
    }
}
