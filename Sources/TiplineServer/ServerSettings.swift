import Foundation
import TiplineCrypto
import TiplineRPC

/// The server's configuration file (`config.json` in the data directory, or
/// `--config`). Every field but the organisation has a safe default.
public struct ServerSettings: Codable, Sendable, Equatable {
    /// The pinned organisation fingerprint in its displayed form
    /// (`1B6-X4F-…`, PROTOCOL.md §2.5). A file written before the check
    /// symbol holds the legacy 32-symbol form, which is still read.
    public var organisation: String
    /// `HOST:PORT` to listen on; behind a Tor onion service, keep it on loopback.
    public var listen: String = "127.0.0.1:7040"
    /// Server times are rounded down to this many seconds.
    public var timeGranularity: UInt64 = 3600
    /// Leading zero bits of proof of work demanded of anonymous submissions.
    public var proofOfWorkDifficulty: UInt8 = 18
    /// Largest encrypted attachment accepted, in bytes.
    public var maximumAttachmentSize: UInt64 = 256 * 1024 * 1024
    /// Connections open at once.
    public var maximumConnections: Int = 4096
    /// Bytes that uploads in progress may stage on the whole server.
    public var stagingQuota: UInt64 = 4 << 30
    /// Seconds after its tip (rounded down to `timeGranularity`) that an
    /// upload token stops opening uploads.
    public var uploadTokenLifetime: UInt64 = 86_400
    /// Bytes the server holds for all connections together: frames still
    /// arriving, requests not yet handled, responses not yet read
    /// (PROTOCOL.md §12, SECURITY.md §1.9).
    public var memoryBudget: Int = 256 << 20
    /// The same, for one connection.
    public var connectionMemoryBudget: Int = 16 << 20
    /// The same, for one call (at least one largest frame).
    public var callMemoryBudget: Int = 8 << 20
    /// Calls open at once on one connection.
    public var maximumConcurrentCalls: Int = 128
    /// Seconds a call may wait on its client with nothing moving before it
    /// is ended (and a connection whose responses go unread, closed).
    public var progressTimeout: Int = 60
    /// Seconds that SIGTERM or SIGINT leaves calls in flight to finish (a
    /// tipster's upload on a slow link, say) before the server exits. The
    /// service manager's stop timeout must be longer (deploy/: 45 s).
    public var shutdownGracePeriod: Int = 30

    public init(organisation: String) {
        self.organisation = organisation
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        organisation = try c.decode(String.self, forKey: .organisation)
        listen = try c.decodeIfPresent(String.self, forKey: .listen) ?? listen
        timeGranularity = try c.decodeIfPresent(UInt64.self, forKey: .timeGranularity) ?? timeGranularity
        proofOfWorkDifficulty = try c.decodeIfPresent(UInt8.self, forKey: .proofOfWorkDifficulty) ?? proofOfWorkDifficulty
        maximumAttachmentSize = try c.decodeIfPresent(UInt64.self, forKey: .maximumAttachmentSize) ?? maximumAttachmentSize
        maximumConnections = try c.decodeIfPresent(Int.self, forKey: .maximumConnections) ?? maximumConnections
        stagingQuota = try c.decodeIfPresent(UInt64.self, forKey: .stagingQuota) ?? stagingQuota
        uploadTokenLifetime = try c.decodeIfPresent(UInt64.self, forKey: .uploadTokenLifetime) ?? uploadTokenLifetime
        memoryBudget = try c.decodeIfPresent(Int.self, forKey: .memoryBudget) ?? memoryBudget
        connectionMemoryBudget = try c.decodeIfPresent(Int.self, forKey: .connectionMemoryBudget) ?? connectionMemoryBudget
        callMemoryBudget = try c.decodeIfPresent(Int.self, forKey: .callMemoryBudget) ?? callMemoryBudget
        maximumConcurrentCalls = try c.decodeIfPresent(Int.self, forKey: .maximumConcurrentCalls) ?? maximumConcurrentCalls
        progressTimeout = try c.decodeIfPresent(Int.self, forKey: .progressTimeout) ?? progressTimeout
        shutdownGracePeriod = try c.decodeIfPresent(Int.self, forKey: .shutdownGracePeriod) ?? shutdownGracePeriod
    }

    /// The pinned organisation. The legacy form (32 symbols, no check symbol)
    /// is accepted because earlier versions of `tipline-server init` wrote it
    /// here; any other length, a foreign character or a failed check symbol
    /// is a typo, and the server will not start with it.
    public func organisationFingerprint() throws(ServerSetupError) -> Fingerprint {
        do {
            return try Fingerprint(parsing: organisation, acceptingLegacyForm: true)
        } catch {
            throw .badOrganisation(error)
        }
    }

    /// Whether the organisation is written in the legacy form.
    public var organisationInLegacyForm: Bool { Fingerprint.isLegacyForm(organisation) }

    /// Refuses values the server cannot honour, naming the setting, before
    /// anything is served (a difficulty above 32 could never be solved).
    public func validate() throws {
        _ = try organisationFingerprint()
        guard proofOfWorkDifficulty <= ProofOfWorkChallenge.maximumDifficulty else {
            throw ServerSetupError.settingOutOfRange(name: "proofOfWorkDifficulty", allowed: "0 to \(ProofOfWorkChallenge.maximumDifficulty)")
        }
        guard timeGranularity >= 1 && timeGranularity <= 86_400 * 30 else {
            throw ServerSetupError.settingOutOfRange(name: "timeGranularity", allowed: "1 to 2592000 seconds")
        }
        guard maximumConnections >= 1 else {
            throw ServerSetupError.settingOutOfRange(name: "maximumConnections", allowed: "at least 1")
        }
        // A budget must hold at least one largest frame, or no large request
        // could ever be served; each must fit inside the next.
        let frame = RPCLimits.defaultMaximumFrameSize
        guard callMemoryBudget >= frame && callMemoryBudget <= connectionMemoryBudget else {
            throw ServerSetupError.settingOutOfRange(name: "callMemoryBudget",
                                                     allowed: "\(frame) bytes to connectionMemoryBudget")
        }
        guard connectionMemoryBudget <= memoryBudget else {
            throw ServerSetupError.settingOutOfRange(name: "connectionMemoryBudget", allowed: "callMemoryBudget to memoryBudget")
        }
        guard maximumConcurrentCalls >= 1 && maximumConcurrentCalls <= 65_536 else {
            throw ServerSetupError.settingOutOfRange(name: "maximumConcurrentCalls", allowed: "1 to 65536")
        }
        guard progressTimeout >= 1 && progressTimeout <= 86_400 else {
            throw ServerSetupError.settingOutOfRange(name: "progressTimeout", allowed: "1 to 86400 seconds")
        }
        guard shutdownGracePeriod >= 0 && shutdownGracePeriod <= 3_600 else {
            throw ServerSetupError.settingOutOfRange(name: "shutdownGracePeriod", allowed: "0 to 3600 seconds")
        }
        guard stagingQuota >= maximumAttachmentSize && stagingQuota <= UInt64(Int64.max) else {
            throw ServerSetupError.settingOutOfRange(name: "stagingQuota", allowed: "maximumAttachmentSize to 2^63-1 bytes")
        }
        guard uploadTokenLifetime >= 600 && uploadTokenLifetime <= 86_400 * 30 else {
            throw ServerSetupError.settingOutOfRange(name: "uploadTokenLifetime", allowed: "600 to 2592000 seconds")
        }
        guard maximumAttachmentSize >= 64 else {
            throw ServerSetupError.settingOutOfRange(name: "maximumAttachmentSize", allowed: "at least 64 bytes")
        }
    }
}
