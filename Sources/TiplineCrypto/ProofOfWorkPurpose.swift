/// What a proof-of-work challenge may be spent on; bound into the challenge
/// so that work done for one action cannot pay for another.
public enum ProofOfWorkPurpose: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Submitting a new tip.
    case submitTip = 1
    /// Posting a follow-up to a mailbox.
    case followUp = 2

    public var description: String {
        switch self {
        case .submitTip: "submit tip"
        case .followUp: "follow-up"
        }
    }
}
