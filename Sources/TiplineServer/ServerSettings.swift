import Foundation
import TiplineCrypto

/// The server's configuration file (`config.json` in the data directory, or
/// `--config`). Every field but the organisation has a safe default.
public struct ServerSettings: Codable, Sendable, Equatable {
    /// The pinned organisation fingerprint (`ABCD-EFGH-…`).
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
    }

    /// Refuses values the server cannot honour, naming the setting, before
    /// anything is served (a difficulty above 32 could never be solved).
    public func validate() throws {
        guard proofOfWorkDifficulty <= ProofOfWorkChallenge.maximumDifficulty else {
            throw ServerSetupError.settingOutOfRange(name: "proofOfWorkDifficulty", allowed: "0 to \(ProofOfWorkChallenge.maximumDifficulty)")
        }
        guard timeGranularity >= 1 && timeGranularity <= 86_400 * 30 else {
            throw ServerSetupError.settingOutOfRange(name: "timeGranularity", allowed: "1 to 2592000 seconds")
        }
        guard maximumConnections >= 1 else {
            throw ServerSetupError.settingOutOfRange(name: "maximumConnections", allowed: "at least 1")
        }
        guard maximumAttachmentSize >= 64 else {
            throw ServerSetupError.settingOutOfRange(name: "maximumAttachmentSize", allowed: "at least 64 bytes")
        }
    }
}
