import Foundation
import Testing
import TiplineCrypto

/// What `tipline` refuses when it creates or opens a keystore, driven
/// through the built executable (SECURITY.md §7 listed these as untested).
@Suite struct KeystoreEndToEndTests {
    func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-keystore-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aPassphraseUnderEightCharactersIsRefusedAndNoFileIsWritten() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tipline = Tool(name: "tipline", environment: ["TIPLINE_PASSPHRASE": "seven c", "HOME": dir], directory: dir)
        let result = try tipline.run(["responder", "init", "--out", "short.key", "--name", "alice"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("at least 8 characters"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/short.key"))
    }

    @Test func aKeystoreOverTheSizeLimitIsRefusedUnread() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/big.key"
        // A real keystore's header, padded past the limit: refused for its
        // size before anything in it is parsed or any key is derived.
        let contents = KeystoreContents.generate(role: .responder, name: "alice", parameters: .insecureForTesting)
        let passphrase = SecureBytes(copying: Array("a long passphrase".utf8))
        let sealed = try Keystore.seal(contents, passphrase: passphrase)
        let padded = sealed + [UInt8](repeating: 0, count: Keystore.maximumFileSize + 1 - sealed.count)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(padded), attributes: [.posixPermissions: 0o600]))
        let tipline = Tool(name: "tipline", environment: ["TIPLINE_PASSPHRASE": "a long passphrase", "HOME": dir], directory: dir)
        let org = Fingerprint(organisationKey: SigningKeyPair().publicKey).description
        // Nothing listens on port 1: the keystore must be refused before any connection is tried.
        let result = try tipline.run(["inbox", "--key", "big.key", "--org", org, "--server", "127.0.0.1:1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("larger than 4096 bytes"), "stderr: \(result.stderr)")
    }

    /// Each command that creates a keystore derives its key at the strength
    /// SECURITY.md gives it: the organisation key, which signs every
    /// bundle, at SENSITIVE (about 1 GiB of memory per guess); a responder's
    /// and the server's at MODERATE. (Slow on purpose: two MODERATE and one
    /// SENSITIVE derivation, some seconds.)
    @Test func eachCommandWritesItsKeystoreAtItsStrength() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let environment = ["TIPLINE_PASSPHRASE": "a long passphrase", "HOME": dir]
        let tipline = Tool(name: "tipline", environment: environment, directory: dir)
        _ = try tipline.ok(["org", "init", "--out", "org.key"])
        _ = try tipline.ok(["responder", "init", "--out", "alice.key", "--name", "alice"])
        let passphraseFile = dir + "/passphrase"
        #expect(FileManager.default.createFile(atPath: passphraseFile, contents: Data("a long passphrase\n".utf8),
                                               attributes: [.posixPermissions: 0o600]))
        let server = Tool(name: "tipline-server", environment: [:], directory: dir)
        _ = try server.ok(["init", "--data-dir", "data", "--org-fingerprint",
                           Fingerprint(organisationKey: SigningKeyPair().publicKey).description, "--passphrase-file", passphraseFile])
        func parameters(_ path: String) throws -> KeystoreParameters {
            try Keystore.inspect(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + path))))
        }
        #expect(try parameters("org.key") == .sensitive)
        #expect(try parameters("alice.key") == .moderate)
        #expect(try parameters("data/server.key") == .moderate)
    }
}
