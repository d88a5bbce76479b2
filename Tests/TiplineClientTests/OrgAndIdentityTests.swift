import Foundation
import Testing
import TiplineCrypto
@testable import TiplineClient

@Suite struct OrgAndIdentityTests {
    @Test func identityFilesRoundTripAndRefuseEdits() throws {
        let identity = ResponderIdentity(name: "alice", signingKey: SigningKeyPair().publicKey, boxKey: BoxKeyPair().publicKey)
        #expect(try ResponderIdentity(parsing: identity.text) == identity)
        // Another box key with the old fingerprint line: refused.
        let swapped = identity.text.replacingOccurrences(of: Hex.encode(identity.boxKey.bytes), with: Hex.encode(BoxKeyPair().publicKey.bytes))
        #expect(throws: ResponderIdentityError.fingerprintMismatch) { try ResponderIdentity(parsing: swapped) }
        #expect(throws: ResponderIdentityError.notAnIdentityFile) { try ResponderIdentity(parsing: "hello") }
        let badName = identity.text.replacingOccurrences(of: "name: alice", with: "name: ")
        #expect(throws: ResponderIdentityError.badField("name")) { try ResponderIdentity(parsing: badName) }
    }

    /// Identity files written before the check symbol hold the legacy
    /// 32-symbol fingerprint (PROTOCOL.md §2.5): still read; new files hold
    /// only the current form.
    @Test func identityFilesInTheLegacyFormAreRead() throws {
        let identity = ResponderIdentity(name: "alice", signingKey: SigningKeyPair().publicKey, boxKey: BoxKeyPair().publicKey)
        let current = identity.fingerprint.description
        #expect(identity.text.contains("fingerprint: \(current)\n") && current.split(separator: "-").count == 11)
        let legacy = Base32.grouped(Base32.encode(identity.fingerprint.bytes))
        let old = identity.text.replacingOccurrences(of: current, with: legacy)
        #expect(old != identity.text)
        #expect(try ResponderIdentity(parsing: old) == identity)
        // A typo in the current form's line is refused like any other edit.
        var typo = Array(current)
        typo[0] = typo[0] == "A" ? "B" : "A"
        let edited = identity.text.replacingOccurrences(of: current, with: String(typo))
        #expect(throws: ResponderIdentityError.fingerprintMismatch) { try ResponderIdentity(parsing: edited) }
    }

    @Test func rosterSignsIncreasingVersions() throws {
        let org = SigningKeyPair(), server = SigningKeyPair()
        var roster = OrgRoster()
        let alice = ResponderIdentity(name: "alice", signingKey: SigningKeyPair().publicKey, boxKey: BoxKeyPair().publicKey)
        let bob = ResponderIdentity(name: "bob", signingKey: SigningKeyPair().publicKey, boxKey: BoxKeyPair().publicKey)
        try roster.enroll(alice, role: .admin)
        #expect(throws: OrgRosterError.noServerKey) { _ = try roster.signNextBundle(with: org, now: 1_800_000_000) }
        roster.serverKey = Hex.encode(server.publicKey.bytes)
        let first = try roster.signNextBundle(with: org, now: 1_800_000_000)
        try roster.enroll(bob, role: .responder)
        #expect(throws: OrgRosterError.alreadyEnrolled("bob")) { try roster.enroll(bob, role: .responder) }
        let second = try roster.signNextBundle(with: org, now: 1_800_000_100)
        try roster.revoke("alice")
        #expect(throws: OrgRosterError.notEnrolled("alice")) { try roster.revoke("alice") }
        let third = try roster.signNextBundle(with: org, now: 1_800_000_200)
        let pinned = Fingerprint(organisationKey: org.publicKey)
        let versions = try [first, second, third].map { try $0.verify(pinned: pinned, now: 1_800_000_300).version }
        #expect(versions == [1, 2, 3])
        #expect(third.unverifiedBundle.responders.map(\.name) == ["bob"])
        #expect(try roster.lastSigned() == third)
        // The roster survives a save and load.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("roster-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try roster.save(to: path)
        #expect(try OrgRoster.load(from: path).lastSigned() == third)
        #expect(OrgRoster.path(forOrgKey: "/x/org.key") == "/x/org.roster.json")
    }

    @Test func namesFromTipsCannotEscapeTheFolder() {
        #expect(PrivateDirectory.safeName("../../etc/passwd") == "_.._etc_passwd")
        #expect(PrivateDirectory.safeName("photo.jpg") == "photo.jpg")
        #expect(PrivateDirectory.safeName("..") == "attachment")
        #expect(PrivateDirectory.safeName("a\u{0}b\nc") == "a_b_c")
        #expect(!PrivateDirectory.safeName(".hidden").hasPrefix("."))
    }
}
