import Foundation
import TiplineClient
import TiplineCrypto

/// Runs every check of `tipline audit` and reports each: against a server
/// over RPC, and, given its database, against what the server stored.
///
/// The server is asked first and once (``ServerEvidence``), the database is
/// read once in a single read-only transaction (``StoreEvidence``), and every
/// check then judges that evidence, so that the report describes one moment.
public struct Auditor: Sendable {
    public let connection: TiplineConnection
    /// The organisation fingerprint the auditor trusts, obtained out of band.
    public let organisation: Fingerprint
    /// The server's `tipline.sqlite` (or a copy), opened read-only.
    public let databasePath: String?
    /// Keystore files whose Argon2id parameters are reported.
    public let keystorePaths: [String]
    /// Unix seconds; decides whether the bundle in force has expired.
    public let clock: @Sendable () -> UInt64
    /// Heads the auditor was given (`--expect-head`), each with how to name it.
    public let expectedHeads: [(head: KnownHead, source: String)]
    /// Heads seen by earlier runs; `nil` compares with none.
    public let knownHeads: KnownHeads?

    public init(connection: TiplineConnection, organisation: Fingerprint, databasePath: String? = nil,
                keystorePaths: [String] = [], expectedHeads: [(head: KnownHead, source: String)] = [],
                knownHeads: KnownHeads? = nil,
                clock: @escaping @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970) }) {
        self.connection = connection
        self.organisation = organisation
        self.databasePath = databasePath
        self.keystorePaths = keystorePaths
        self.expectedHeads = expectedHeads
        self.knownHeads = knownHeads
        self.clock = clock
    }

    /// Every check's result. Throws only when the server cannot be reached:
    /// then nothing it serves could be checked, which is not a finding.
    public func run() async throws(ServerUnreachable) -> AuditReport {
        let served = try await ServerEvidence.fetch(from: connection)
        let now = clock()
        let bundles = BundleAudit(served: served, pinned: organisation, now: now)
        let chain = ChainAudit(served: served, serverKey: bundles.trustedInForce?.unverifiedBundle.serverKey)
        var checks = bundles.results()
        checks.append(chain.servedChain())
        let serverKey = bundles.trustedInForce?.unverifiedBundle.serverKey.keyId
        var known = expectedHeads
        if let serverKey, let knownHeads, let remembered = knownHeads.head(organisation: organisation, serverKey: serverKey) {
            known.insert((remembered, "the head remembered in \(knownHeads.path) on \(AuditText.date(remembered.seenAt))"), at: 0)
        }
        checks.append(chain.history(known: known))
        let stored = storeChecks(chain: chain)
        checks += stored.results
        checks += CryptoInventory.results(keystores: keystorePaths)
        // The head is vouched for only when the server's identity and its
        // chain held and it continues every head seen before.
        func status(_ check: AuditCheck) -> AuditCheckStatus? { checks.first { $0.name == check.rawValue }?.status }
        var verified: KnownHead?
        if serverKey != nil, case .success(let head) = served.auditHead, status(.serverIdentity) == .pass,
           status(.auditChain) == .pass, status(.history) != .fail {
            verified = KnownHead(sequence: head.sequence, hash: head.headHash, seenAt: now)
        }
        return AuditReport(organisation: organisation.description, time: now, checks: checks, head: verified,
                           serverKeyId: serverKey?.description,
                           envelopeFormats: stored.formats.map { counts in
                               Dictionary(uniqueKeysWithValues: counts.map { (String($0.key.rawValue), $0.value) })
                           })
    }

    /// The database's checks, and the count of its envelopes by format
    /// (`nil` when the database was not read).
    private func storeChecks(chain: ChainAudit) -> (results: [AuditCheckResult], formats: [EnvelopeFormat: Int]?) {
        guard let databasePath else {
            return (AuditCheck.storeChecks.map { AuditCheckResult($0, .skip, "not checked: no --db given") }, nil)
        }
        let store: StoreEvidence
        do throws(StoreUnreadable) { store = try StoreEvidence.read(path: databasePath) } catch {
            return (AuditCheck.storeChecks.map { AuditCheckResult($0, .fail, error.description) }, nil)
        }
        let envelopes = EnvelopeAudit(store: store, pinned: organisation)
        return ([envelopes.wellFormed(), envelopes.formats(), envelopes.recipients(),
                 ReceivingKeyAudit(store: store, pinned: organisation, now: clock()).result(), envelopes.padding(),
                 RecordAudit(store: store).result(), chain.storeChain(store)],
                envelopes.formatCounts())
    }
}
