import Logging
import TiplineCrypto
import TiplineLocking
import TiplineProto
import TiplineRPC
import TiplineStore

/// The tip service: every method of proto/tipline/v1 on a sealed store. It
/// checks structure, signatures, proof of work and limits, and never holds
/// a key that opens a tip.
public final class TipService: Sendable {
    let store: TipStore
    let configuration: TipServiceConfiguration
    let identity: SigningKeyPair
    let powIssuer: ProofOfWorkIssuer
    let bundles = BundleState()
    let receivingKeys = ReceivingKeyIndex()
    let replays: ReplayCache
    let clock: @Sendable () -> UInt64
    let logger: Logger
    /// Uploads whose handler is running: the sweep leaves them alone.
    let liveUploads = Locked<Set<[UInt8]>>([])

    /// - Parameters:
    ///   - identity: the server's Ed25519 key; it signs the audit head and must be the bundle's server key.
    ///   - powKey: 32 secret bytes that authenticate proof-of-work challenges.
    ///   - clock: Unix seconds; tests move it.
    public init(store: TipStore, configuration: TipServiceConfiguration, identity: SigningKeyPair, powKey: SecureBytes,
                clock: @escaping @Sendable () -> UInt64, logger: Logger = Logger(label: "tipline.service")) throws {
        self.store = store
        self.configuration = configuration
        self.identity = identity
        self.powIssuer = ProofOfWorkIssuer(key: powKey)
        self.replays = ReplayCache(retention: 2 * configuration.requestWindow + configuration.proofOfWorkLifetime)
        self.clock = clock
        self.logger = logger
        // The newest stored bundle is in force again after a restart, if it still verifies.
        if let stored = try store.currentBundle(), let signed = try? SignedKeyBundle(parsing: stored),
           let bundle = try? signed.verify(pinned: configuration.organisation, now: clock()) {
            bundles.set(.init(bundle: bundle, signed: signed))
        }
        let now = clock()
        for bytes in try store.receivingKeys(endingAfter: now > ReceivingKeyStatement.acceptGrace ? now - ReceivingKeyStatement.acceptGrace : 0) {
            if let statement = try? ReceivingKeyStatement(parsing: bytes) { receivingKeys.insert(statement) }
        }
    }

    /// Every method of the contract, ready for an ``RPCServer``.
    public func methods() -> MethodTable {
        var table = MethodTable()
        registerBundleMethods(&table)
        registerSubmissionMethods(&table)
        registerResponderMethods(&table)
        registerMailboxMethods(&table)
        registerAuditMethods(&table)
        return table
    }

    /// Removes uploads no handler owns, chunks no attachment or upload
    /// owns, and spent tokens that are due. The server runs it at start and every `uploadSweepInterval`;
    /// it returns how many uploads went. Expired upload tokens stay: the
    /// tip's audit record binds their hash, and their age refuses them.
    @discardableResult
    public func sweepUploads() async throws -> Int {
        let live = liveUploads.withLock { $0 }
        try await store.pruneSpentTokens(now: clock())
        return try await store.sweepUploads(keeping: live)
    }

    /// The bundle in force, or FAILED_PRECONDITION.
    func currentBundle() throws -> BundleState.Current {
        guard let current = bundles.get() else {
            throw RPCError(.failedPrecondition, "no key bundle has been published yet")
        }
        return current
    }
}
