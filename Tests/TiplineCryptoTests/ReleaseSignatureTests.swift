import Foundation
import Testing
import TiplineCrypto

/// Release signatures (PROTOCOL.md §9.1) with real keys and real files; the
/// vectors cover each rule once, these cover the shapes around them.
@Suite struct ReleaseSignatureTests {
    let organisation = SigningKeyPair()
    let program = SystemRandom().bytes(200_000)
    var pinned: Fingerprint { Fingerprint(organisationKey: organisation.publicKey) }

    func signed(_ bytes: [UInt8]? = nil, name: String = "tip") throws -> ReleaseSignature {
        try ReleaseSignature(signing: ReleaseDigest(of: bytes ?? program), name: name, signedAt: TestKeys.now, by: organisation)
    }

    @Test func aSignedFileVerifiesFromItsBytesAlone() throws {
        let parsed = try ReleaseSignature(parsing: try signed().encoded)
        try parsed.verify(pinned: pinned, file: ReleaseDigest(of: program))
        #expect(parsed.name == "tip")
        #expect(parsed.signedAt == TestKeys.now)
        #expect(parsed.file.size == 200_000)
        #expect(parsed.organisationKey == organisation.publicKey)
    }

    @Test func everyChangedByteOfTheFileIsCaught() throws {
        let signature = try signed()
        for index in [0, 65_535, 65_536, 131_072, program.count - 1] {
            var changed = program
            changed[index] ^= 0x80
            #expect(throws: ReleaseSignatureError.fileMismatch) { try signature.verify(pinned: pinned, file: ReleaseDigest(of: changed)) }
        }
        #expect(throws: ReleaseSignatureError.sizeMismatch(signed: 200_000, actual: 199_999)) {
            try signature.verify(pinned: pinned, file: ReleaseDigest(of: Array(program.dropLast())))
        }
    }

    @Test func anotherOrganisationIsRefusedBeforeItsSignatureIsRead() throws {
        let other = SigningKeyPair()
        #expect(throws: ReleaseSignatureError.wrongOrganisation) {
            try signed().verify(pinned: Fingerprint(organisationKey: other.publicKey), file: ReleaseDigest(of: program))
        }
        // Another organisation's valid signature over the same file, against our fingerprint.
        let theirs = try ReleaseSignature(signing: ReleaseDigest(of: program), name: "tip", signedAt: TestKeys.now, by: other)
        #expect(throws: ReleaseSignatureError.wrongOrganisation) { try theirs.verify(pinned: pinned, file: ReleaseDigest(of: program)) }
    }

    @Test func ourKeyWithAnotherKeysSignatureIsABadSignature() throws {
        let ours = try signed().encoded
        let forged = Array(ours.dropLast(64)) + SigningKeyPair().sign(Array(ours.dropLast(64)), context: ReleaseSignature.context)
        #expect(throws: ReleaseSignatureError.badSignature) {
            try ReleaseSignature(parsing: forged).verify(pinned: pinned, file: ReleaseDigest(of: program))
        }
    }

    @Test func aSignatureUnderAnyOtherContextIsRefused() throws {
        let body = Array(try signed().encoded.dropLast(64))
        for context in [DomainHash.Label.bundleSignature, "tipline/v1/request", "tipline/v1/audit-head", "tipline/v1/responder-event",
                        "tipline/v1/tipster-content", "tipline/v1/release-file", ""] {
            let bytes = body + organisation.sign(body, context: context)
            #expect(throws: ReleaseSignatureError.badSignature, "context \(context)") {
                try ReleaseSignature(parsing: bytes).verify(pinned: pinned, file: ReleaseDigest(of: program))
            }
        }
    }

    @Test func everyTruncationIsTruncatedAndEveryExtraByteTrailing() throws {
        let bytes = try signed().encoded
        for length in 0..<bytes.count {
            #expect(throws: ReleaseSignatureError.truncated, "length \(length)") { try ReleaseSignature(parsing: Array(bytes.prefix(length))) }
        }
        #expect(throws: ReleaseSignatureError.trailingBytes) { try ReleaseSignature(parsing: bytes + [0]) }
    }

    @Test func everyFlippedBitOfTheSignatureFileIsRefused() throws {
        let bytes = try signed().encoded
        for index in bytes.indices {
            var changed = bytes
            changed[index] ^= 0x01
            #expect(throws: ReleaseSignatureError.self, "byte \(index)") {
                try ReleaseSignature(parsing: changed).verify(pinned: pinned, file: ReleaseDigest(of: program))
            }
        }
    }

    @Test func namesAreFileNamesNotPathsOrControls() throws {
        #expect(throws: ReleaseSignatureError.invalidName) { try signed(name: "") }
        #expect(throws: ReleaseSignatureError.invalidName) { try signed(name: "dist/tip") }
        #expect(throws: ReleaseSignatureError.invalidName) { try signed(name: "tip\u{1B}]52;c;") }
        #expect(throws: ReleaseSignatureError.invalidName) { try signed(name: String(repeating: "x", count: 256)) }
        let longest = try signed(name: String(repeating: "x", count: 255))
        #expect(longest.encoded.count == ReleaseSignature.maximumByteCount)
        #expect(try signed(name: "ທິບ-tip").name == "ທິບ-tip")
    }

    /// The file is read in 64 KiB pieces; every size around a piece's edge
    /// must give the hash of the whole file at once.
    @Test func aFileReadInPiecesHashesAsAWhole() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("release-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for size in [0, 1, 65_535, 65_536, 65_537, 200_000] {
            let path = directory + "/file-\(size)"
            let bytes = Array(program.prefix(size))
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(try ReleaseDigest(contentsOf: path) == ReleaseDigest(of: bytes), "size \(size)")
        }
        #expect(throws: AtomicFile.Failure.self) { try ReleaseDigest(contentsOf: directory) }
        #expect(throws: AtomicFile.Failure.self) { try ReleaseDigest(contentsOf: directory + "/missing") }
    }
}
