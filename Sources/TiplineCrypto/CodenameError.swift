/// Why a typed codename was rejected. No case carries the codename itself.
public enum CodenameError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A character that is not in the codename alphabet, at this position of the typed text.
    case invalidCharacter(position: Int)
    /// The codename does not have 28 symbols; it had this many.
    case wrongLength(Int)
    /// The check symbol does not match: a character is wrong or two are swapped.
    case checkFailed

    public var description: String {
        switch self {
        case .invalidCharacter(let p):
            "the codename has a character that cannot be in a codename, at position \(p + 1)"
        case .wrongLength(let n):
            "a codename has 28 characters (7 groups of 4); this one has \(n)"
        case .checkFailed:
            "the codename's check failed: a character is mistyped or two are swapped"
        }
    }
}
