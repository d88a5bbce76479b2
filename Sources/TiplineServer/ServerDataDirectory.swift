import Foundation
import TiplineCrypto

/// The server's data directory (mode 0700):
///
/// - `server.key`: the identity keystore (0600, Argon2id + XChaCha20-Poly1305);
/// - `server.pub`: the identity public key in hex, for the organisation's bundle;
/// - `config.json`: ``ServerSettings``;
/// - `tipline.sqlite` (+ `-wal`, `-shm`): the sealed store.
public struct ServerDataDirectory: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var keystore: String { path + "/server.key" }
    public var publicKeyFile: String { path + "/server.pub" }
    public var settingsFile: String { path + "/config.json" }
    public var database: String { path + "/tipline.sqlite" }

    /// Creates the directory, the identity keystore and the configuration
    /// pinning `organisation`. Refuses to overwrite an existing identity.
    public func initialize(organisation: Fingerprint, passphrase: SecureBytes,
                           parameters: KeystoreParameters = .moderate) throws -> SigningPublicKey {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true,
                                        attributes: [.posixPermissions: 0o700])
        }
        guard !manager.fileExists(atPath: keystore) else {
            throw ServerSetupError.alreadyInitialised(path)
        }
        let identity = KeystoreContents.generate(role: .server, name: "tipline-server", parameters: parameters)
        try Keystore.write(identity, passphrase: passphrase, to: keystore)
        let settings = ServerSettings(organisation: organisation.description)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(settings)) + [0x0A], to: settingsFile, mode: 0o600, overwrite: true)
        try AtomicFile.write(Array((Hex.encode(identity.signingKey.publicKey.bytes) + "\n").utf8), to: publicKeyFile,
                             mode: 0o644, overwrite: true)
        return identity.signingKey.publicKey
    }

    /// Reads the settings, from `override` if given.
    public func settings(override: String? = nil) throws -> ServerSettings {
        let file = override ?? settingsFile
        let bytes = try AtomicFile.read(file, limit: 64 * 1024)
        do {
            let settings = try JSONDecoder().decode(ServerSettings.self, from: Data(bytes))
            try settings.validate()
            return settings
        } catch let error as ServerSetupError {
            throw error
        } catch {
            throw ServerSetupError.badSettings(file)
        }
    }

    /// Unlocks the identity; the proof-of-work key is derived from it, so it
    /// survives restarts without another secret file.
    public func unlock(passphrase: SecureBytes) throws -> (identity: SigningKeyPair, powKey: SecureBytes) {
        let contents = try Keystore.read(from: keystore, passphrase: passphrase)
        guard contents.role == .server else { throw ServerSetupError.notAServerKeystore }
        let seed = contents.signingKey.seed()
        let powKey = DomainHash.hash("tipline/v1/server/pow-key", secret: seed)
        return (contents.signingKey, powKey)
    }
}
