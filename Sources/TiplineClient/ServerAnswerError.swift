/// A server's answer that no honest server gives, or more than this client
/// accepts. Reported instead of looping, growing without bound, or trapping.
public enum ServerAnswerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A paged list did not move forward (the same or an earlier position again).
    case noProgress(String)
    /// A paged list went past what the client accepts.
    case tooLarge(String, limit: String)

    public var description: String {
        switch self {
        case .noProgress(let what): "the server's \(what) did not move forward; it may be faulty or hostile"
        case .tooLarge(let what, let limit): "the server's \(what) is larger than this client accepts (\(limit))"
        }
    }
}
