import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle
import TiplineCrypto
import TiplineRPC
import TiplineStore

/// The running server as a swift-service-lifecycle service: it serves until
/// a graceful shutdown (SIGTERM/SIGINT), then sends GOAWAY and drains.
public final class TipServer: Service, Sendable {
    public let rpc: RPCServer
    public let service: TipService

    private init(rpc: RPCServer, service: TipService) {
        self.rpc = rpc
        self.service = service
    }

    /// Opens the store, builds the service and binds the listener.
    public static func start(directory: ServerDataDirectory, settings: ServerSettings, identity: SigningKeyPair,
                             powKey: SecureBytes, listen: String? = nil, tls: ServerTLS? = nil,
                             logger: Logger) async throws -> TipServer {
        let address = listen ?? settings.listen
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw ServerSetupError.badListenAddress(address)
        }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let store = try TipStore(path: directory.database, timeGranularity: settings.timeGranularity, headKey: identity)
        // Uploads in progress died with the previous process.
        try await store.abandonAllUploads()
        let organisation = try settings.organisationFingerprint()
        if settings.organisationInLegacyForm {
            try Self.checkLegacyOrganisation(organisation, against: store, logger: logger)
        }
        var configuration = TipServiceConfiguration(organisation: organisation)
        configuration.proofOfWorkDifficulty = settings.proofOfWorkDifficulty
        configuration.maximumAttachmentSize = settings.maximumAttachmentSize
        configuration.stagingQuota = settings.stagingQuota
        configuration.uploadTokenLifetime = settings.uploadTokenLifetime
        let service = try TipService(store: store, configuration: configuration, identity: identity, powKey: powKey,
                                     clock: { WallClock.now() },
                                     logger: logger)
        var limits = RPCLimits()
        limits.maximumConnections = settings.maximumConnections
        limits.maximumBufferedBytes = settings.memoryBudget
        limits.maximumBufferedBytesPerConnection = settings.connectionMemoryBudget
        limits.maximumBufferedBytesPerCall = settings.callMemoryBudget
        limits.maximumConcurrentCalls = settings.maximumConcurrentCalls
        limits.progressTimeout = .seconds(Int64(settings.progressTimeout))
        limits.shutdownGracePeriod = .seconds(Int64(settings.shutdownGracePeriod))
        let rpc = try await RPCServer.start(host: host, port: port, methods: service.methods(), limits: limits, tls: tls,
                                            logger: logger)
        return TipServer(rpc: rpc, service: service)
    }

    /// A configuration written before the check symbol holds the legacy
    /// form, which is read as it stands (PROTOCOL.md §2.5). Its operator is
    /// told the current form to write instead. If the store holds a bundle
    /// whose organisation's displayed form, less one character, is what the
    /// configuration says, the configuration has a typo rather than a new
    /// organisation, and the server does not start with it.
    static func checkLegacyOrganisation(_ organisation: Fingerprint, against store: TipStore, logger: Logger) throws {
        if let stored = try store.currentBundle(), let signed = try? SignedKeyBundle(parsing: stored) {
            let held = signed.unverifiedBundle.organisationFingerprint
            if !held.matches(organisation) && organisation.isOneSymbolShort(of: held) {
                throw ServerSetupError.badOrganisation(.symbolMissing)
            }
        }
        logger.warning("""
            the configuration holds the organisation fingerprint in the legacy form, without a check symbol; \
            it is accepted as it stands. Write it in the current form, \(organisation), after comparing that \
            with the fingerprint your organisation gave you.
            """)
    }

    /// How often abandoned uploads and expired upload tokens are swept
    /// (they are also swept at start).
    public static let uploadSweepInterval: Duration = .seconds(600)

    public func run() async throws {
        let service = self.service
        let sweeper = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.uploadSweepInterval)
                guard !Task.isCancelled else { break }
                do { try await service.sweepUploads() } catch {
                    service.logger.error("upload sweep failed", metadata: ["error": "\(type(of: error))"])
                }
            }
        }
        // The listener closes the moment a shutdown starts, but calls in
        // flight drain after it, for up to the grace period: returning when
        // the listener closed would end the process under a tipster's
        // upload (issue 14). So the service ends when the drain does.
        let draining = NIOLockedValueBox<Task<Void, Never>?>(nil)
        await withGracefulShutdownHandler {
            await rpc.waitUntilClosed()
            await draining.withLockedValue { $0 }?.value
        } onGracefulShutdown: {
            draining.withLockedValue { $0 = Task { await self.rpc.shutdown() } }
        }
        sweeper.cancel()
    }
}
