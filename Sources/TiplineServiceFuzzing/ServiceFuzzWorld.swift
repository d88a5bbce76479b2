import Foundation
import Logging
import TiplineClient
import TiplineCrypto
import TiplineProto
import TiplineRPC
import TiplineServer
import TiplineStore

/// The real tip service the service fuzz target talks to: a real
/// ``TipStore`` in a temporary directory, a published bundle, one tip with
/// an attachment and an upload slot left, and the keys that sign requests.
///
/// Every key comes from a fixed seed and the clock stands still, so the
/// bundle id is the same in every process: envelopes sealed into the seed
/// corpus stay valid for it, and signatures the harness makes are always
/// inside the request window.
public final class ServiceFuzzWorld: Sendable {
    public static let now: UInt64 = 1_800_000_000

    public let directory: String
    public let store: TipStore
    public let service: TipService
    public let methods: MethodTable
    public let organisation: SigningKeyPair
    public let responder: (sign: SigningKeyPair, box: BoxKeyPair)
    public let mailboxKey: SigningKeyPair
    public let mailboxId: [UInt8]
    public let bundle: KeyBundle
    public let tipId: [UInt8]
    public let uploadToken: [UInt8]
    public let attachmentId: [UInt8]

    static func key(_ byte: UInt8) -> SecureBytes { SecureBytes(copying: [UInt8](repeating: byte, count: 32)) }

    /// Builds the world through the real server and client on 127.0.0.1,
    /// then stops listening: the fuzzer reaches the same service through
    /// test channels.
    public static func make() async throws -> ServiceFuzzWorld {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tipline-fuzz-service-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let organisation = SigningKeyPair(seed: key(1))
        let identity = SigningKeyPair(seed: key(2))
        let responder = (sign: SigningKeyPair(seed: key(3)), box: BoxKeyPair(seed: key(4)))
        let mailboxKey = SigningKeyPair(seed: key(5))
        let store = try TipStore(path: directory + "/tipline.sqlite", headKey: identity)
        var configuration = TipServiceConfiguration(organisation: Fingerprint(organisationKey: organisation.publicKey))
        configuration.proofOfWorkDifficulty = 1
        configuration.maximumAttachmentSize = 1 << 20
        let logger = Logger(label: "tipline.fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
        let service = try TipService(store: store, configuration: configuration, identity: identity,
                                     powKey: key(6), clock: { now }, logger: logger)
        let bundle = try KeyBundle(version: 1, issuedAt: now - 10, expiresAt: now + 86_400 * 365,
                                   organisationKey: organisation.publicKey, serverKey: identity.publicKey,
                                   responders: [Responder(name: "fuzz-responder", signingKey: responder.sign.publicKey,
                                                          boxKey: responder.box.publicKey, role: .admin)],
                                   // The fuzzer's envelopes go to the identity key.
                                   receivingKeys: .legacy)
            .signed(by: organisation)

        let server = try await RPCServer.start(host: "127.0.0.1", port: 0, methods: service.methods(), logger: logger)
        let client = try await TiplineConnection.connect(host: "127.0.0.1", port: server.port, clock: { now })
        _ = try await client.publishBundle(bundle)
        let opened = bundle.unverifiedBundle
        let envelope = try Envelope.seal(Array("a tip for the fuzzer".utf8), kind: .tip, context: opened.id,
                                         to: opened.recipientKeys)
        let tip = try await client.submitTip(envelope: envelope, mailboxKey: mailboxKey.publicKey, attachmentCount: 2)
        let stream = [UInt8](repeating: 0x41, count: 4096)
        let uploaded = try await client.uploadAttachment(tipId: Array(tip.tipID), uploadToken: Array(tip.uploadToken),
                                                         encryptedSize: UInt64(stream.count), pieces: OnePiece(stream))
        await client.close()
        await server.shutdown()
        return ServiceFuzzWorld(
            directory: directory, store: store, service: service, organisation: organisation, responder: responder,
            mailboxKey: mailboxKey, bundle: opened, tipId: Array(tip.tipID), uploadToken: Array(tip.uploadToken),
            attachmentId: Array(uploaded.attachmentID))
    }

    private init(directory: String, store: TipStore, service: TipService, organisation: SigningKeyPair,
                 responder: (sign: SigningKeyPair, box: BoxKeyPair), mailboxKey: SigningKeyPair, bundle: KeyBundle,
                 tipId: [UInt8], uploadToken: [UInt8], attachmentId: [UInt8]) {
        self.directory = directory
        self.store = store
        self.service = service
        self.methods = service.methods()
        self.organisation = organisation
        self.responder = responder
        self.mailboxKey = mailboxKey
        self.mailboxId = DomainHash.hash(DomainHash.Label.mailboxId, mailboxKey.publicKey.bytes)
        self.bundle = bundle
        self.tipId = tipId
        self.uploadToken = uploadToken
        self.attachmentId = attachmentId
    }

    /// Removes the temporary directory.
    public func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// One upload piece as an async sequence.
struct OnePiece: AsyncSequence, Sendable {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    struct AsyncIterator: AsyncIteratorProtocol {
        var bytes: [UInt8]?
        mutating func next() async throws -> [UInt8]? {
            defer { bytes = nil }
            return bytes
        }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(bytes: bytes) }
}
