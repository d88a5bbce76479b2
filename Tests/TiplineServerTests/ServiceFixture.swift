import Foundation
import TiplineLocking
import TiplineClient
import TiplineCrypto
import TiplineProto
import TiplineRPC
import TiplineServer
import TiplineStore

/// A real tip service on 127.0.0.1:0 over a SQLite file in a temporary
/// directory, with an organisation, a server identity and two responders.
final class ServiceFixture: Sendable {
    final class Clock: Sendable {
        let now = Locked<UInt64>(1_800_000_000)
        func read() -> UInt64 { now.withLock { $0 } }
        func advance(_ seconds: UInt64) { now.withLock { $0 += seconds } }
    }

    let directory: String
    let clock = Clock()
    let organisation = SigningKeyPair()
    let identity = SigningKeyPair()
    /// Kept so that a second service over the same store (a restart) issues and checks the same challenges.
    let powKey = SecureBytes(randomCount: 32)
    let alice = (sign: SigningKeyPair(), box: BoxKeyPair())
    let bob = (sign: SigningKeyPair(), box: BoxKeyPair())
    let store: TipStore
    let service: TipService
    let server: RPCServer
    let client: TiplineConnection

    var fingerprint: Fingerprint { Fingerprint(organisationKey: organisation.publicKey) }

    init(powDifficulty: UInt8 = 4, maximumAttachmentSize: UInt64 = 1 << 20, limits: RPCLimits = RPCLimits(),
         configure: (inout TipServiceConfiguration) -> Void = { _ in }) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-service-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try TipStore(path: directory + "/tipline.sqlite", headKey: identity)
        var configuration = TipServiceConfiguration(organisation: Fingerprint(organisationKey: organisation.publicKey))
        configuration.proofOfWorkDifficulty = powDifficulty
        configuration.maximumAttachmentSize = maximumAttachmentSize
        configure(&configuration)
        let clock = self.clock
        service = try TipService(store: store, configuration: configuration, identity: identity,
                                 powKey: powKey, clock: { clock.read() })
        server = try await RPCServer.start(host: "127.0.0.1", port: 0, methods: service.methods(), limits: limits)
        client = try await TiplineConnection.connect(host: "127.0.0.1", port: server.port, clock: { clock.read() })
    }

    /// A format-2 bundle; its policy allows identity keys unless `receivingKeys` says otherwise.
    func bundle(version: UInt64, responders: [(sign: SigningKeyPair, box: BoxKeyPair)], by org: SigningKeyPair? = nil,
                server serverKey: SigningPublicKey? = nil, receivingKeys: ReceivingKeyPolicy = .legacy) throws -> SignedKeyBundle {
        let signer = org ?? organisation
        let now = clock.read()
        return try KeyBundle(version: version, issuedAt: now - 10, expiresAt: now + 86_400 * 30,
                             organisationKey: signer.publicKey, serverKey: serverKey ?? identity.publicKey,
                             responders: responders.enumerated().map { i, r in
                                 Responder(name: "responder-\(i)-\(r.sign.publicKey.keyId)".prefix(60).description,
                                           signingKey: r.sign.publicKey, boxKey: r.box.publicKey, role: i == 0 ? .admin : .responder)
                             }, receivingKeys: receivingKeys).signed(by: signer)
    }

    /// Publishes version 1 with Alice and Bob.
    func publishInitialBundle() async throws -> KeyBundle {
        let signed = try bundle(version: 1, responders: [alice, bob])
        _ = try await client.publishBundle(signed)
        return signed.unverifiedBundle
    }

    /// Seals and submits a tip; returns the codename and the server's answer.
    func submitTip(_ text: String, bundle: KeyBundle, attachments: Int = 0) async throws -> (Codename, Tipline_V1_SubmitTipResponse) {
        let codename = Codename()
        let keys = codename.deriveKeys()
        let envelope = try Envelope.seal(Array(text.utf8), kind: .tip, context: bundle.id, to: bundle.recipientKeys)
        let response = try await client.submitTip(envelope: envelope, mailboxKey: keys.mailboxKey.publicKey, attachmentCount: attachments)
        return (codename, response)
    }

    func tearDown() async {
        await client.close()
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
