/// Why a proof of work was refused (proto/PROTOCOL.md §8).
public enum ProofOfWorkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The challenge is not 79 bytes.
    case malformed
    /// The challenge does not start with the magic `TLPW`.
    case badMagic
    /// The challenge's format version is not one this build understands.
    case unsupportedFormat(UInt8)
    /// The purpose byte is not a known ``ProofOfWorkPurpose``.
    case unknownPurpose(UInt8)
    /// The difficulty is above ``ProofOfWorkChallenge/maximumDifficulty``.
    case difficultyOutOfRange(UInt8)
    /// The challenge's authentication tag is wrong: this server did not issue it.
    case forged
    /// The challenge was issued for another purpose.
    case wrongPurpose(ProofOfWorkPurpose)
    /// The challenge has expired.
    case expired
    /// The challenge's issue time is in the future.
    case notYetValid
    /// The solution's hash has fewer leading zero bits than the difficulty.
    case insufficientWork
    /// Solving was cancelled.
    case cancelled

    public var description: String {
        switch self {
        case .malformed: "the proof-of-work challenge is malformed"
        case .badMagic: "this is not a Tipline proof-of-work challenge"
        case .unsupportedFormat(let v): "the proof-of-work challenge has unsupported version \(v)"
        case .unknownPurpose(let p): "the proof-of-work challenge has unknown purpose \(p)"
        case .difficultyOutOfRange(let d): "the proof-of-work difficulty \(d) is out of range"
        case .forged: "the proof-of-work challenge was not issued by this server"
        case .wrongPurpose(let p): "the proof-of-work challenge was issued for \(p), not this action"
        case .expired: "the proof-of-work challenge has expired; ask for a new one"
        case .notYetValid: "the proof-of-work challenge's issue time is in the future"
        case .insufficientWork: "the proof of work does not meet the challenge's difficulty"
        case .cancelled: "solving the proof of work was cancelled"
        }
    }
}
