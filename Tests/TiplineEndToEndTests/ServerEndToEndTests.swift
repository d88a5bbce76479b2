import Foundation
import TiplineLocking
import Testing
import TiplineClient
import TiplineCrypto
import TiplineRPC
import TiplineStore

/// The built tipline-server, driven through its command line, against real
/// files: durability under kill -9, and no plaintext or client address on disk.
@Suite(.serialized) struct ServerEndToEndTests {
    struct Organisation {
        let key = SigningKeyPair()
        let responder = (sign: SigningKeyPair(), box: BoxKeyPair())
        var fingerprint: Fingerprint { Fingerprint(organisationKey: key.publicKey) }

        func bundle(server: SigningPublicKey) throws -> SignedKeyBundle {
            let now = UInt64(Date().timeIntervalSince1970)
            return try KeyBundle(version: 1, issuedAt: now - 60, expiresAt: now + 86_400, organisationKey: key.publicKey,
                                 serverKey: server, responders: [Responder(name: "amara", signingKey: responder.sign.publicKey,
                                                                           boxKey: responder.box.publicKey, role: .admin)],
                                 receivingKeys: .legacy)
                .signed(by: key)
        }
    }

    func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// `init`, `serve`, and the organisation's first bundle, published over a new connection.
    func startAndPublish(_ server: ServerProcess, _ org: Organisation,
                         configuration: ClientConfiguration = ClientConfiguration()) async throws -> TiplineConnection {
        let serverKey = try server.initialise(organisation: org.fingerprint)
        try server.start()
        let client = try await TiplineConnection.connect(host: "127.0.0.1", port: server.port, configuration: configuration)
        _ = try await client.publishBundle(try org.bundle(server: serverKey))
        return client
    }

    final class Acknowledged: Sendable {
        let ids = Locked<[[UInt8]]>([])
    }

    @Test func everyAcknowledgedTipSurvivesKillDashNine() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let org = Organisation()
        let server = ServerProcess(directory: dir)
        let admin = try await startAndPublish(server, org)
        let (bundle, _) = try await admin.fetchBundle(pinned: org.fingerprint)
        await admin.close()

        // Eight tipsters submit as fast as they can; the server is killed mid-stream.
        let acknowledged = Acknowledged()
        let port = server.port
        let submitters = (0..<8).map { _ in
            Task {
                guard let client = try? await TiplineConnection.connect(host: "127.0.0.1", port: port) else { return }
                defer { Task { await client.close() } }
                while !Task.isCancelled {
                    let envelope = try Envelope.seal(Array("tip".utf8), kind: .tip, context: bundle.id, to: bundle.recipientKeys)
                    guard let response = try? await client.submitTip(envelope: envelope, mailboxKey: SigningKeyPair().publicKey)
                    else { return }
                    acknowledged.ids.withLock { $0.append(Array(response.tipID)) }
                }
            }
        }
        try await Task.sleep(for: .milliseconds(1500))
        server.kill()
        for task in submitters { task.cancel() }
        for task in submitters { _ = await task.result }
        let ids = acknowledged.ids.withLock { $0 }
        #expect(ids.count > 20, "too few submissions before the kill to prove anything: \(ids.count)")

        // Restart, configured by environment variables this time; every
        // acknowledged tip is there and the file is sound.
        try server.start(useEnvironment: true)
        server.stop()
        let store = try TipStore(path: server.dataDir + "/tipline.sqlite")
        #expect(try await store.integrityCheck() == "ok")
        for id in ids { #expect(try await store.hasTip(id)) }
        // The chain, every record, and every head the killed server signed.
        let serverPub = try String(contentsOfFile: server.dataDir + "/server.pub", encoding: .utf8)
        let serverKey = try #require(Hex.decode(serverPub.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap(SigningPublicKey.init))
        #expect(try await store.verifyAudit(serverKey: serverKey) != nil)
    }

    @Test func noPlaintextAndNoClientAddressOnDiskOrInLogs() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let org = Organisation()
        let server = ServerProcess(directory: dir)
        var configuration = ClientConfiguration()
        // A distinctive loopback source address that must leave no trace.
        configuration.sourceAddress = "127.0.0.77"
        let client = try await startAndPublish(server, org, configuration: configuration)
        let (bundle, _) = try await client.fetchBundle(pinned: org.fingerprint)
        let marker = "MARKER-\(UUID().uuidString)-the-tipster-is-in-room-4"
        // Five tips, each under its own codename: a mailbox holds one tip.
        let codenames = (0..<5).map { _ in Codename() }
        for codename in codenames {
            let envelope = try Envelope.seal(Array(marker.utf8), kind: .tip, context: bundle.id, to: bundle.recipientKeys)
            _ = try await client.submitTip(envelope: envelope, mailboxKey: codename.deriveKeys().mailboxKey.publicKey)
        }
        let items = try await client.syncInbox(after: 0, as: org.responder.sign)
        #expect(items.count >= 5)
        await client.close()
        // Scan before a graceful stop too, so the WAL still holds everything.
        var files = try FileManager.default.contentsOfDirectory(atPath: server.dataDir).map { server.dataDir + "/" + $0 }
        files.append(server.logFile)
        var contents: [(String, [UInt8])] = try files.map { ($0, Array(try Data(contentsOf: URL(fileURLWithPath: $0)))) }
        server.stop()
        contents += try files.filter { FileManager.default.fileExists(atPath: $0) }
            .map { ($0, Array(try Data(contentsOf: URL(fileURLWithPath: $0)))) }
        #expect(contents.contains { $0.0.hasSuffix("tipline.sqlite") })
        #expect(contents.contains { $0.0.hasSuffix("-wal") })
        let needles: [(String, [UInt8])] = [
            ("marker", Array(marker.utf8)),
        ] + codenames.map { ("codename", Array($0.revealed().utf8)) } + [
            ("address text", Array("127.0.0.77".utf8)),
            ("address bytes", [127, 0, 0, 77]),
        ]
        for (file, bytes) in contents {
            for (what, needle) in needles {
                #expect(!contains(bytes, needle), "\(what) found in \(file)")
            }
        }
    }

    @Test func operatorMistakesGetClearErrorsAndNonZeroExits() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = ServerProcess(directory: dir)
        _ = try server.initialise(organisation: Organisation().fingerprint)
        // init makes the data directory private to the server's user.
        #expect(try FileManager.default.attributesOfItem(atPath: server.dataDir)[.posixPermissions] as? Int == 0o700)
        let wrong = dir + "/wrong"
        _ = FileManager.default.createFile(atPath: wrong, contents: Data("not the passphrase\n".utf8))
        let serve = try ServerProcess.runFailing(["serve", "--data-dir", server.dataDir, "--listen", "127.0.0.1:0",
                                                  "--passphrase-file", wrong])
        #expect(serve.status != 0)
        #expect(serve.stderr.contains("wrong passphrase"))
        let again = try ServerProcess.runFailing(["init", "--data-dir", server.dataDir, "--org-fingerprint",
                                                  Organisation().fingerprint.description, "--passphrase-file", server.passphraseFile])
        #expect(again.status != 0)
        #expect(again.stderr.contains("refusing to replace"))
        let badFingerprint = try ServerProcess.runFailing(["init", "--data-dir", dir + "/other", "--org-fingerprint", "NOT-A-FP",
                                                           "--passphrase-file", server.passphraseFile])
        #expect(badFingerprint.status == 64)
        // Nothing in any message may echo the passphrase.
        for output in [serve.stderr, again.stderr, badFingerprint.stderr] {
            #expect(!output.contains("a test passphrase"))
            #expect(!output.contains("not the passphrase"))
        }
    }

    func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return true }
        }
        return false
    }
}
