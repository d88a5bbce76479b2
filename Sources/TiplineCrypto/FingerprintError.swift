/// Why a typed fingerprint was rejected.
public enum FingerprintError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A character that is not in Crockford's base-32 alphabet, at this position.
    case invalidCharacter(position: Int)
    /// The fingerprint does not have 32 symbols; it had this many.
    case wrongLength(Int)

    public var description: String {
        switch self {
        case .invalidCharacter(let p): "the fingerprint has an invalid character at position \(p + 1)"
        case .wrongLength(let n): "a fingerprint has 32 characters (8 groups of 4); this one has \(n)"
        }
    }
}
