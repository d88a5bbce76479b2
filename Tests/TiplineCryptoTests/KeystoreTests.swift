import Foundation
import Testing
import TiplineCrypto

@Suite struct KeystoreTests {
    let passphrase = SecureBytes(copying: Array("a long passphrase for tests".utf8))

    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-keystore-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func writesMode0600AndReadsBack() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/alice.key"
        let contents = KeystoreContents.generate(role: .responder, name: "alice", parameters: .insecureForTesting)
        // A permissive umask must not leak into the key file's mode.
        let old = umask(0)
        defer { umask(old) }
        try Keystore.write(contents, passphrase: passphrase, to: path)
        #expect(try mode(path) == 0o600)
        let read = try Keystore.read(from: path, passphrase: passphrase)
        #expect(read.role == .responder)
        #expect(read.name == "alice")
        #expect(read.signingKey.publicKey == contents.signingKey.publicKey)
        #expect(read.boxKey.publicKey == contents.boxKey.publicKey)
        #expect(read.parameters == .insecureForTesting)
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["alice.key"])
    }

    @Test func refusesToOverwrite() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/k"
        let contents = KeystoreContents.generate(role: .organisation, name: "org", parameters: .insecureForTesting)
        try Keystore.write(contents, passphrase: passphrase, to: path)
        #expect(throws: KeystoreError.file(.alreadyExists(path: path))) {
            try Keystore.write(contents, passphrase: passphrase, to: path)
        }
    }

    @Test func wrongPassphraseAndDamageAreDistinct() throws {
        let contents = KeystoreContents.generate(role: .responder, name: "bob", parameters: .insecureForTesting)
        let file = try Keystore.seal(contents, passphrase: passphrase)
        #expect(throws: KeystoreError.wrongPassphrase) {
            try Keystore.open(file, passphrase: SecureBytes(copying: Array("not it".utf8)))
        }
        var damagedPayload = file
        damagedPayload[damagedPayload.count - 1] ^= 1
        #expect(throws: KeystoreError.damagedPayload) { try Keystore.open(damagedPayload, passphrase: passphrase) }
        var damagedHeader = file
        damagedHeader[25] ^= 1
        #expect(throws: KeystoreError.damagedHeader) { try Keystore.open(damagedHeader, passphrase: passphrase) }
        #expect(throws: KeystoreError.truncated) { try Keystore.open(Array(file[0..<50]), passphrase: passphrase) }
        #expect(throws: KeystoreError.badMagic) { try Keystore.open(Array("hello, world".utf8), passphrase: passphrase) }
    }

    @Test func refusesAFileOthersCanRead() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/k"
        let contents = KeystoreContents.generate(role: .server, name: "server", parameters: .insecureForTesting)
        try Keystore.write(contents, passphrase: passphrase, to: path)
        chmod(path, 0o644)
        #expect(throws: KeystoreError.file(.insecurePermissions(path: path, mode: 0o644))) {
            try Keystore.read(from: path, passphrase: passphrase)
        }
    }

    @Test func refusesEmptyPassphraseAndBadNames() {
        let contents = KeystoreContents.generate(role: .responder, name: "x", parameters: .insecureForTesting)
        #expect(throws: KeystoreError.emptyPassphrase) {
            try Keystore.seal(contents, passphrase: SecureBytes(copying: [UInt8]()))
        }
        let badName = KeystoreContents.generate(role: .responder, name: "line\nbreak", parameters: .insecureForTesting)
        #expect(throws: KeystoreError.invalidName) { try Keystore.seal(badName, passphrase: passphrase) }
    }

    @Test func defaultIsModerateAndRecordedInTheFile() throws {
        // One real MODERATE derivation (about 1.4 s, 256 MiB): the default people get.
        let contents = KeystoreContents.generate(role: .responder, name: "carol")
        #expect(contents.parameters == .moderate)
        #expect(contents.parameters.meetsModerate)
        let file = try Keystore.seal(contents, passphrase: passphrase)
        #expect(try Keystore.inspect(file) == .moderate)
        #expect(try Keystore.open(file, passphrase: passphrase).name == "carol")
        #expect(!KeystoreParameters.insecureForTesting.meetsModerate)
    }

    @Test func hostileParametersAreRefusedBeforeDerivation() throws {
        let huge = KeystoreContents.generate(role: .responder, name: "x",
                                             parameters: KeystoreParameters(opsLimit: 1, memLimit: 1 << 40))
        #expect(throws: KeystoreError.parametersOutOfRange(KeystoreParameters(opsLimit: 1, memLimit: 1 << 40))) {
            try Keystore.seal(huge, passphrase: passphrase)
        }
    }
}
