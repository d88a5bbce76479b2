import Foundation
import TiplineCrypto

/// A signed audit head seen and verified earlier: the chain reached entry
/// `sequence`, whose entry hash was `hash`. Kept between runs (``KnownHeads``,
/// a responder's cache) or by an auditor elsewhere and given back as
/// `--expect-head SEQ:HASH`, it is what reveals a history that was later cut
/// short or rewritten together with the heads that covered it (SECURITY.md N12).
public struct KnownHead: Codable, Sendable, Equatable, CustomStringConvertible {
    public let sequence: UInt64
    /// The entry hash, 32 bytes in lowercase hex.
    public let hash: String
    /// When it was seen, Unix seconds (0 when given on the command line).
    public let seenAt: UInt64


    public init(sequence: UInt64, hash: [UInt8], seenAt: UInt64) {
        self.sequence = sequence
        self.hash = Hex.encode(hash)
        self.seenAt = seenAt
    }

    /// Parses `SEQ:HASH`, the form `tipline audit` prints and `--expect-head` takes.
    public init(parsing text: String) throws(KnownHeadError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let sequence = UInt64(parts[0]), let hash = Hex.decode(String(parts[1]).lowercased()),
              hash.count == 32 else { throw KnownHeadError.malformed }
        self.init(sequence: sequence, hash: hash, seenAt: 0)
    }

    /// The hash as bytes; `nil` when a stored value is not 32 bytes of hex.
    public var hashBytes: [UInt8]? { Hex.decode(hash).flatMap { $0.count == 32 ? $0 : nil } }

    /// `SEQ:HASH`.
    public var description: String { "\(sequence):\(hash)" }
}
