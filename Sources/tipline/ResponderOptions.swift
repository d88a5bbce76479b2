import ArgumentParser
import Foundation
import TiplineClient
import TiplineCommandLine
import TiplineCrypto

/// What every responder command needs: the server, the responder's keystore,
/// the pinned organisation, and where the sealed cache lives.
struct ResponderOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Your responder keystore (or $TIPLINE_KEY).", valueName: "file"))
    var key: String?

    @Option(help: ArgumentHelp("The organisation fingerprint (or $TIPLINE_ORG).", valueName: "fingerprint"))
    var org: String?

    @Option(help: ArgumentHelp("The sealed inbox cache file (default: under $XDG_CACHE_HOME/tipline).", valueName: "file"))
    var cache: String?

    @OptionGroup var passphrase: PassphraseOptions

    /// A `tipline` command line to print as a hint, carrying the server,
    /// proxy or Tor, keystore, organisation and cache options this command was given,
    /// so that it works as printed (the environment supplies the rest).
    func command(_ words: any StringProtocol...) -> String {
        var line = ["tipline"] + words.map { Console.shellWord(String($0)) }
        line += connection.commandWords
        if let key { line += ["--key", Console.shellWord(key)] }
        if let org { line += ["--org", Console.shellWord(org)] }
        if let cache { line += ["--cache", Console.shellWord(cache)] }
        if let file = passphrase.passphraseFile { line += ["--passphrase-file", Console.shellWord(file)] }
        return line.joined(separator: " ")
    }

    /// Unlocks the keystore, connects, verifies the bundle and syncs the inbox.
    func openWorkspace(sync: Bool = true) async throws -> ResponderWorkspace {
        try await openSession(sync: sync).workspace
    }

    /// The keystore file named by `--key` or `$TIPLINE_KEY`.
    func keystorePath() throws -> String {
        guard let keyPath = key ?? ProcessInfo.processInfo.environment["TIPLINE_KEY"] else {
            throw ToolFailure(.usage, "say which keystore: --key FILE (or set TIPLINE_KEY)")
        }
        return keyPath
    }

    /// The workspace, with the keystore's path and passphrase kept for
    /// rewriting it (receiving keys, ``ReceivingKeyUpkeep``).
    func openSession(sync: Bool = true) async throws -> (workspace: ResponderWorkspace, keyPath: String, passphrase: SecureBytes) {
        let environment = ProcessInfo.processInfo.environment
        let keyPath = try keystorePath()
        guard let orgText = org ?? environment["TIPLINE_ORG"] else {
            throw ToolFailure(.usage, "say which organisation: --org FINGERPRINT (or set TIPLINE_ORG)")
        }
        let pinned = try Fingerprint(typed: orgText, from: org == nil ? "TIPLINE_ORG" : "--org")
        let (keys, secret) = try KeystoreFiles.openKeepingPassphrase(keyPath, passphrase: passphrase, expecting: .responder)
        let address = try connection.address()
        let client = try await connection.connect()
        let workspace = try await ResponderWorkspace.open(
            connection: client, keys: keys, pinned: pinned,
            cachePath: cache ?? InboxCache.defaultPath(server: address.description, responder: keys.signingKey.publicKey.keyId))
        if sync {
            try await workspace.sync()
            if let warning = try await workspace.checkHistory() { Console.warning(warning) }
        }
        return (workspace, keyPath, secret)
    }
}
