import Foundation
import GRDB
import Testing
import TiplineAudit
import TiplineCrypto
import TiplineStore
import TiplineVectors

/// The auditor against a live server on port 0 with a real SQLite store,
/// then against copies of that store with one thing changed each, as
/// someone with the disk would change it.
@Suite(.serialized) struct AuditorTests {
    func row(_ report: AuditReport, _ check: AuditCheck) throws -> AuditCheckResult {
        try #require(report.results(check).first, "no \(check.rawValue) row")
    }

    /// The names of the checks that failed.
    func failing(_ report: AuditReport) -> Set<String> {
        Set(report.checks.filter { $0.status == .fail }.map(\.name))
    }

    func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    func tipSequence(_ path: String, _ tip: [UInt8]) throws -> Int64 {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            try #require(try Int64.fetchOne(db, sql: "SELECT audit_seq FROM tip WHERE id = ?", arguments: [Data(tip)]))
        }
    }

    @Test func fullAuditPassesOnTheLiveDatabaseAndACopy() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        _ = try await f.makeHistory()

        let live = try await f.audit(database: f.databasePath)
        #expect(live.passed, "\(live.table())")
        // Nothing seen before to compare the history with: skipped, which is said.
        #expect(try row(live, .history).status == .skip)
        for check in AuditCheck.allCases where check != .keystore && check != .history {
            let result = try row(live, check)
            #expect(result.status == .pass, "\(check.rawValue): \(result.detail)")
        }
        // Two tips remain (the third was purged) with five events between them.
        #expect(try row(live, .records).detail.hasPrefix("2 tips, 5 events, 1 attachment, 2 bundles match"))
        #expect(try row(live, .padding).detail.contains("1 KiB: 6, 2 KiB: 1"))
        #expect(try row(live, .bundleHistory).detail.hasPrefix("versions 1, 2 strictly increase"))
        #expect(try row(live, .envelopeFormats).detail == "7 envelopes: 7 in format 2; format 2 commits to its content key")
        #expect(live.envelopeFormats == ["2": 7])

        // A copy audits the same, and reading it changes no byte of it.
        let copy = try f.copyDatabase()
        let before = try Data(contentsOf: URL(fileURLWithPath: copy))
        let report = try await f.audit(database: copy)
        #expect(report.passed, "\(report.table())")
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == before)
        #expect(!FileManager.default.fileExists(atPath: copy + "-wal"))

        // Without --db the database checks are skipped, and the rest still pass.
        let remote = try await f.audit()
        #expect(remote.passed)
        #expect(remote.checks.filter { $0.status == .skip }.map(\.name)
            == ["history since last audit", "stored envelopes well formed", "envelope formats", "recipients", "receiving keys",
                "padding buckets", "records match the audit log", "db chain vs server"])
        #expect(remote.envelopeFormats == nil)
    }

    /// Issue 12 item 4: the bundle list comes in pages, so a history that
    /// outgrows one frame (100 bundles of 128 responders, over 1 MiB) is
    /// audited whole, remotely and against the database.
    @Test func aHundredBundlesOfAHundredAndTwentyEightRespondersAreAudited() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        let responders: [AuditFixture.Member] = (0..<128).map { _ in (SigningKeyPair(), BoxKeyPair()) }
        var bytes = 0
        for version in 1...100 {
            let signed = try f.bundle(version: UInt64(version), responders: responders)
            bytes += signed.encoded.count
            _ = try await f.client.publishBundle(signed)
        }
        #expect(bytes > 1024 * 1024)
        let report = try await f.audit(database: f.databasePath)
        #expect(report.passed, "\(report.table())")
        let history = try row(report, .bundleHistory).detail
        #expect(history.hasPrefix("versions 1, 2, 3"), "\(history)")
        let records = try row(report, .records).detail
        #expect(records.contains("100 bundles match"), "\(records)")
    }

    /// Issue 13 item 6: the audit counts stored envelopes by format, in the
    /// table and in the JSON. Format-1 tips stored before any format-2
    /// envelope pass (they are what an older server accepted); one stored
    /// after a format-2 envelope fails, named by its audit entry, because a
    /// server that reads format 2 refuses format 1 for anything new.
    @Test func envelopeFormatsAreCountedAndALateFormatOneFails() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        let signed = try f.bundle(version: 1, responders: [f.alice, f.bob])
        _ = try await f.client.publishBundle(signed)
        let bundle = signed.unverifiedBundle
        /// A format-1 tip written straight into the store, as an older server did.
        func storeFormatOneTip(_ text: String) async throws -> [UInt8] {
            let keys = Codename().deriveKeys()
            let envelope = CraftedEnvelope.sealFormat1(Array(text.utf8), kind: .tip, context: bundle.id, to: bundle.recipientKeys)
            return try await f.store.insertTip(NewTip(
                envelope: envelope, paddedLength: try EnvelopeHeader(parsing: envelope).paddedLength,
                mailboxId: keys.mailboxId, mailboxKey: keys.mailboxKey.publicKey.bytes, bundleVersion: bundle.version,
                attachmentSlots: 0, uploadTokenHash: nil), now: f.clock.read()).id
        }
        _ = try await storeFormatOneTip("from before format 2")
        _ = try await storeFormatOneTip("also from before")
        _ = try await f.submitTip("format 2", bundle: bundle)

        let mixed = try await f.audit(database: f.databasePath)
        #expect(mixed.passed, "\(mixed.table())")
        #expect(try row(mixed, .envelopeFormats).detail == """
            3 envelopes: 1 in format 2, 2 in format 1; format 1 does not commit to its content key (PROTOCOL.md §4.5), \
            and every one was accepted before the first format-2 envelope
            """)
        #expect(mixed.envelopeFormats == ["1": 2, "2": 1])
        let json = try JSONDecoder().decode(AuditReport.self, from: try mixed.json())
        #expect(json.envelopeFormats == ["1": 2, "2": 1])
        #expect(String(decoding: try mixed.json(), as: UTF8.self).contains(#""envelopeFormats" : {"#))

        let late = try await storeFormatOneTip("after format 2")
        let sequence = try tipSequence(f.databasePath, late)
        let report = try await f.audit(database: f.databasePath)
        #expect(failing(report) == ["envelope formats"])
        let detail = try row(report, .envelopeFormats).detail
        #expect(detail.hasPrefix("1 failure:\ntip \(hex(late)) (audit entry \(sequence)): format 1 (no key commitment), accepted after the format-2 tip"),
                "\(detail)")
        #expect(report.envelopeFormats == ["1": 3, "2": 1])
    }

    @Test func anAlteredTipEnvelopeIsNamedWithItsAuditEntry() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        let history = try await f.makeHistory()
        let copy = try f.copyDatabase()
        let sequence = try tipSequence(copy, history.firstTip)
        // One byte inside the first wrapped key: the envelope still parses and
        // keeps its recipients and length, so only its hash gives it away.
        try f.tamper(copy) { db in
            var envelope = try #require(try Data.fetchOne(db, sql: "SELECT envelope FROM tip WHERE id = ?", arguments: [Data(history.firstTip)]))
            envelope[100] ^= 0x01
            try db.execute(sql: "UPDATE tip SET envelope = ? WHERE id = ?", arguments: [envelope, Data(history.firstTip)])
        }
        let report = try await f.audit(database: copy)
        #expect(!report.passed)
        #expect(failing(report) == ["records match the audit log"])
        let detail = try row(report, .records).detail
        #expect(detail.contains("tip \(hex(history.firstTip)) (audit entry \(sequence)): its bytes do not match the payload hash audit entry \(sequence) recorded"),
                "\(detail)")
    }

    @Test func aNonCanonicalPaddedLengthIsNamed() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        let history = try await f.makeHistory()

        // The recorded length alone: not a bucket, and (since issue 13) no
        // longer what the tip's audit record bound.
        let recorded = try f.copyDatabase("recorded.sqlite")
        let sequence = try tipSequence(recorded, history.secondTip)
        try f.tamper(recorded) { db in
            try db.execute(sql: "UPDATE tip SET padded_length = 1500 WHERE id = ?", arguments: [Data(history.secondTip)])
        }
        let report = try await f.audit(database: recorded)
        #expect(failing(report) == ["padding buckets", "records match the audit log"])
        #expect(try row(report, .records).detail.contains("tip \(hex(history.secondTip)) (audit entry \(sequence))"))
        let detail = try row(report, .padding).detail
        #expect(detail.contains("tip \(hex(history.secondTip))"), "\(detail)")
        #expect(detail.contains("the stored padded_length 1500 is not a bucket"))

        // Seven bytes more ciphertext: not a bucket, so not an envelope, and no longer its record.
        let grown = try f.copyDatabase("grown.sqlite")
        try f.tamper(grown) { db in
            let envelope = try #require(try Data.fetchOne(db, sql: "SELECT envelope FROM tip WHERE id = ?", arguments: [Data(history.firstTip)]))
            try db.execute(sql: "UPDATE tip SET envelope = ? WHERE id = ?", arguments: [envelope + Data(count: 7), Data(history.firstTip)])
        }
        let second = try await f.audit(database: grown)
        #expect(failing(second) == ["stored envelopes well formed", "recipients", "padding buckets", "records match the audit log"])
        let padding = try row(second, .padding).detail
        #expect(padding.contains("tip \(hex(history.firstTip))"))
        #expect(padding.contains("gives a padded length of 1031 bytes, which is not a bucket"), "\(padding)")
    }

    @Test func wrongRecipientsAreNamed() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        let history = try await f.makeHistory()
        let copy = try f.copyDatabase()
        // Claim the v1 tip was accepted under v2, whose recipients include Carol.
        try f.tamper(copy) { db in
            try db.execute(sql: "UPDATE tip SET bundle_version = 2 WHERE id = ?", arguments: [Data(history.firstTip)])
        }
        let report = try await f.audit(database: copy)
        #expect(failing(report) == ["records match the audit log", "recipients"])
        let detail = try row(report, .recipients).detail
        #expect(detail.contains("tip \(hex(history.firstTip))"))
        #expect(detail.contains("its context is not the id of bundle version 2"))
        #expect(detail.contains("not sealed to the responders of bundle version 2 as its policy requires"), "\(detail)")
        #expect(detail.contains("\(f.carol.box.publicKey.keyId)"), "\(detail)")
    }

    @Test func aWrongPinFailsTheOrganisationCheck() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        _ = try await f.makeHistory()
        let stranger = Fingerprint(organisationKey: SigningKeyPair().publicKey)
        let report = try await f.audit(pinned: stranger, database: f.databasePath)
        #expect(!report.passed)
        let organisation = try row(report, .organisation)
        #expect(organisation.status == .fail)
        #expect(organisation.detail.contains("is made by organisation \(f.fingerprint), not the pinned \(stranger)"), "\(organisation.detail)")
        #expect(try row(report, .bundleSignatures).status == .fail)
        // What needs a trusted bundle is not judged on an untrusted one.
        #expect(try row(report, .serverIdentity).status == .skip)
    }

    @Test func anExpiredBundleInForceFails() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        _ = try await f.makeHistory()
        f.clock.advance(86_400 * 31)
        let report = try await f.audit()
        #expect(failing(report) == ["bundle signature and expiry"])
        let detail = try row(report, .bundleSignatures).detail
        #expect(detail.contains("the bundle in force (version 2, id "), "\(detail)")
        #expect(detail.contains(") expired at "))
    }

    @Test func aReorderedBundleHistoryFails() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        _ = try await f.makeHistory()
        // Renumber the first bundle's row in the live file: the server now
        // lists version 2 first, and the list no longer tells the log's story.
        try f.tamper(f.databasePath) { db in try db.execute(sql: "UPDATE bundle SET version = 5 WHERE version = 1") }
        let report = try await f.audit()
        #expect(failing(report) == ["bundle history"])
        let detail = try row(report, .bundleHistory).detail
        #expect(detail.contains("bundle version 1 (id "), "\(detail)")
        #expect(detail.contains("was published after version 2: versions must strictly increase"))
        #expect(detail.contains("is not the newest published"))
        #expect(detail.contains("is not the bundle audit entry 1 published"))
    }

    @Test func keystoresBelowModerateFailNamingTheFile() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        _ = try await f.client.publishBundle(try f.bundle(version: 1, responders: [f.alice]))
        let passphrase = SecureBytes(copying: Array("a long passphrase for tests".utf8))
        let weak = f.directory + "/weak.keystore", strong = f.directory + "/strong.keystore"
        // insecureForTesting: 1 pass over 8 KiB, which a real keystore must never use.
        try Keystore.write(.generate(role: .responder, name: "weak", parameters: .insecureForTesting), passphrase: passphrase, to: weak)
        try Keystore.write(.generate(role: .server, name: "strong", parameters: .moderate), passphrase: passphrase, to: strong)
        let report = try await f.audit(keystores: [weak, strong])
        #expect(!report.passed)
        #expect(failing(report) == ["crypto inventory: keystore"])
        let rows = report.results(.keystore)
        #expect(rows.count == 2)
        #expect(rows[0].status == .fail)
        #expect(rows[0].detail.contains("\(weak): Argon2id13, opslimit 1, memlimit 8 KiB is below MODERATE"), "\(rows[0].detail)")
        #expect(rows[1].status == .pass)
        #expect(rows[1].detail == "\(strong): Argon2id13, opslimit 3, memlimit 256 MiB, meets MODERATE")
        // No passphrase was needed, and a missing file is named too.
        let missing = try await f.audit(keystores: [f.directory + "/absent.keystore"])
        #expect(try row(missing, .keystore).detail.contains("absent.keystore"))
        #expect(try row(missing, .keystore).status == .fail)
        // A strong keystore that group or others can read fails too.
        #expect(chmod(strong, 0o640) == 0)
        let exposed = try row(try await f.audit(keystores: [strong]), .keystore)
        #expect(exposed.status == .fail)
        #expect(exposed.detail.contains("\(strong): group or others may access it (mode 640)"), "\(exposed.detail)")
    }

    @Test func jsonDecodesAndHasEveryCheck() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        _ = try await f.makeHistory()
        let keystore = f.directory + "/weak.keystore"
        try Keystore.write(.generate(role: .responder, name: "weak", parameters: .insecureForTesting),
                           passphrase: SecureBytes(copying: Array("passphrase".utf8)), to: keystore)
        let report = try await f.audit(database: f.databasePath, keystores: [keystore])
        let json = try report.json()
        let decoded = try JSONDecoder().decode(AuditReport.self, from: json)
        #expect(decoded == report)
        #expect(decoded.checks.map(\.name) == AuditCheck.allCases.map(\.rawValue))
        // The stable keys, as a script that knows nothing of Swift sees them.
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(Set(object.keys) == ["organisation", "time", "passed", "checks", "head", "serverKeyId", "envelopeFormats"])
        #expect(object["envelopeFormats"] as? [String: Int] == ["2": 7])
        // The head to keep, in the form --expect-head takes back.
        let head = try #require(object["head"] as? [String: Any])
        #expect(Set(head.keys) == ["sequence", "hash", "seenAt"])
        #expect((head["hash"] as? String)?.count == 64)
        #expect(object["passed"] as? Bool == false)
        #expect(object["organisation"] as? String == f.fingerprint.description)
        let checks = try #require(object["checks"] as? [[String: String]])
        #expect(checks.allSatisfy { Set($0.keys) == ["name", "status", "detail"] })
        #expect(checks.map { $0["status"] ?? "" }.allSatisfy { ["pass", "fail", "skip"].contains($0) })
    }

    @Test func aServerWithoutTheBundledIdentityFails() async throws {
        // The store signs its heads with a key the bundles do not name.
        let f = try await AuditFixture(headKey: SigningKeyPair())
        defer { Task { await f.tearDown() } }
        _ = try await f.makeHistory()
        let report = try await f.audit(database: f.databasePath)
        #expect(failing(report) == ["server identity", "db chain vs server"])
        let identity = try row(report, .serverIdentity).detail
        #expect(identity.contains("is not signed by the server key that bundle version 2"), "\(identity)")
        #expect(identity.contains(f.identity.publicKey.keyId.description))
        #expect(try row(report, .storeChain).detail.contains("is not signed by the server's key"))
    }

    @Test func anAlteredEntryFailsTheServedAndTheStoredChain() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        _ = try await f.makeHistory()
        // Changed in the live file, under the running server, which then serves it.
        try f.tamper(f.databasePath) { db in try db.execute(sql: "UPDATE audit SET time = time + 1 WHERE seq = 3") }
        let report = try await f.audit(database: f.databasePath)
        #expect(failing(report) == ["audit chain", "db chain vs server"])
        #expect(try row(report, .auditChain).detail.contains("the served log: audit entry 3 was altered"))
        #expect(try row(report, .storeChain).detail.contains("the database's chain: audit entry 3 was altered"))
    }

    @Test func aDeletedRecordIsNamedByItsEntry() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        let history = try await f.makeHistory()
        let copy = try f.copyDatabase()
        var sequence: Int64 = 0
        try f.tamper(copy) { db in
            sequence = try #require(try Int64.fetchOne(db, sql: "SELECT seq FROM event WHERE tip_id = ? AND kind = 3",
                                                       arguments: [Data(history.secondTip)]))
            try db.execute(sql: "DELETE FROM event WHERE seq = ?", arguments: [sequence])
        }
        let report = try await f.audit(database: copy)
        #expect(failing(report) == ["records match the audit log"])
        let detail = try row(report, .records).detail
        #expect(detail.contains("audit entry \(sequence) (triage event of \(hex(history.secondTip))): its record is missing"), "\(detail)")
    }

    @Test func signedHeadsAreCheckedWhenTheStoreKeepsThem() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        _ = try await f.makeHistory()

        // A store from before signed heads: nothing to check, which is said.
        let old = try f.copyDatabase("old.sqlite")
        try f.tamper(old) { db in try db.execute(sql: "DROP TABLE audit_head") }
        let report = try await f.audit(database: old)
        #expect(report.passed, "\(report.table())")
        #expect(try row(report, .storeChain).detail.contains("keeps no signed heads"))

        // A head whose signature was replaced.
        let forged = try f.copyDatabase("forged.sqlite")
        var newest: Int64 = 0
        try f.tamper(forged) { db in
            newest = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM audit_head") ?? 0
            try db.execute(sql: "UPDATE audit_head SET signature = zeroblob(64) WHERE seq = ?", arguments: [newest])
        }
        let second = try await f.audit(database: forged)
        #expect(failing(second) == ["db chain vs server"])
        #expect(try row(second, .storeChain).detail.contains("the audit head at \(newest) is not signed by the server's key"))
    }

    /// Issue 15: windows per responder with their gaps, tips that went to
    /// identity keys, the fallback policy flagged; a forged key fails.
    @Test func receivingKeysAreReportedAndAForgedOneFails() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        _ = try await f.makeHistory()
        let report = try await f.audit(database: f.databasePath)
        let detail = try row(report, .receivingKeys).detail
        #expect(try row(report, .receivingKeys).status == .pass, "\(detail)")
        // The fixture's bundles allow identity keys, and its tips went to them.
        #expect(detail.contains("FLAGGED"), "\(detail)")
        #expect(detail.contains("2 of 2 tips of the last 30 days sealed to an identity key"), "\(detail)")
        #expect(detail.contains(": 1 window, "), "\(detail)")
        #expect(detail.contains("no receiving key published"), "\(detail)")

        // A statement no responder signed, slipped into a copy.
        let copy = try f.copyDatabase()
        let stranger = SigningKeyPair()
        let now = f.clock.read()
        let forged = ReceivingKeyStatement(organisationKey: f.organisation.publicKey, responder: stranger,
                                           publicKey: BoxKeyPair().publicKey, notBefore: now, notAfter: now + 3_600)
        try f.tamper(copy) { db in
            try db.execute(sql: "UPDATE receiving_key SET statement = ?, key_id = ?, responder_id = ?",
                           arguments: [Data(forged.encoded), Data(forged.keyId.bytes), Data(forged.responderId.bytes)])
        }
        let tampered = try await f.audit(database: copy)
        let forgedRow = try row(tampered, .receivingKeys)
        #expect(forgedRow.status == .fail)
        #expect(forgedRow.detail.contains("is not signed by a responder"), "\(forgedRow.detail)")
    }

    @Test func anUnreadableDatabaseFailsEveryDatabaseCheck() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        _ = try await f.makeHistory()
        let report = try await f.audit(database: f.directory + "/absent.sqlite")
        #expect(failing(report) == Set(["stored envelopes well formed", "envelope formats", "recipients", "receiving keys",
                                        "padding buckets", "records match the audit log", "db chain vs server"]))
        #expect(report.envelopeFormats == nil)
        #expect(try row(report, .records).detail.contains("absent.sqlite does not exist"))
        #expect(!FileManager.default.fileExists(atPath: f.directory + "/absent.sqlite"))
    }
}
