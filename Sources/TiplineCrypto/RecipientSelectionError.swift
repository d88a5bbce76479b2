/// Why nothing could be sealed for the responders (proto/PROTOCOL.md §3.5 step 4).
public enum RecipientSelectionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No responder has a valid receiving key, and the bundle does not allow
    /// identity keys instead. `refused` statements failed verification.
    case noReceivingKeys(refused: Int)

    public var description: String {
        switch self {
        case .noReceivingKeys(let refused):
            "no responder can receive right now: none has a valid receiving key"
                + (refused > 0 ? " (\(refused) offered by the server were refused)" : "")
                + ", and the organisation does not allow sealing to identity keys; try again later"
        }
    }
}
