import Foundation
import TiplineCrypto

/// The newest verified audit head of each server, kept by `tipline audit`
/// between runs in a 0600 file under the user's state directory
/// (`$XDG_STATE_HOME/tipline/audit-heads.json`, or
/// `~/.local/state/tipline/audit-heads.json`; the directory is 0700).
///
/// A server is named by the organisation's fingerprint and the key id of
/// the server key its bundle names, never by its address, so that the same
/// server reached over Tor or directly is one server, and another server
/// behind the same address is another.
public struct KnownHeads: Sendable {
    /// The file's largest size: a head is about 150 bytes, so this holds thousands.
    static let sizeLimit = 1 << 20

    public let path: String
    private var heads: [String: KnownHead]

    private struct File: Codable {
        var version: Int
        var heads: [String: KnownHead]
    }

    /// Reads the file at `path`, or starts empty when there is none. A file
    /// that does not parse is an error, never silently replaced: it is the
    /// auditor's memory, and losing it would hide a cut-off history.
    public init(path: String) throws(KnownHeadError) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            heads = [:]
            return
        }
        let bytes: [UInt8]
        do { bytes = try AtomicFile.read(path, limit: Self.sizeLimit) } catch { throw .file("\(error)") }
        guard let file = try? JSONDecoder().decode(File.self, from: Data(bytes)), file.version == 1 else {
            throw .file("\(path) is not a file of remembered audit heads; move it aside to start again")
        }
        heads = file.heads
    }

    public static func defaultPath() -> String {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let base = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((home as NSString).appendingPathComponent(".local") as NSString).appendingPathComponent("state")
        return ((base as NSString).appendingPathComponent("tipline") as NSString).appendingPathComponent("audit-heads.json")
    }

    static func key(organisation: Fingerprint, serverKey: KeyId) -> String {
        "\(Hex.encode(organisation.bytes))/\(serverKey)"
    }

    public func head(organisation: Fingerprint, serverKey: KeyId) -> KnownHead? {
        heads[Self.key(organisation: organisation, serverKey: serverKey)]
    }

    /// Remembers `head` unless an equal or newer one is remembered: the
    /// memory only moves forward, so a history found cut short keeps failing.
    public mutating func remember(_ head: KnownHead, organisation: Fingerprint, serverKey: KeyId) throws(KnownHeadError) {
        let key = Self.key(organisation: organisation, serverKey: serverKey)
        if let known = heads[key], known.sequence >= head.sequence { return }
        heads[key] = head
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(Array(try encoder.encode(File(version: 1, heads: heads))), to: path, mode: 0o600, overwrite: true)
        } catch {
            throw .file("cannot write \(path): \(error)")
        }
    }
}
