/// Why a typed fingerprint was rejected. Every case is a typo: a fingerprint
/// that is well formed but belongs to someone else is not an error here but
/// a mismatch (`KeyBundleError.wrongOrganisation`), and the two are kept
/// apart so that a person is never told "impostor" for a slip of the finger.
public enum FingerprintError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A character that is not in Crockford's base-32 alphabet, at this position of the typed text.
    case invalidCharacter(position: Int)
    /// The fingerprint does not have 33 symbols; it had this many.
    case wrongLength(Int)
    /// The check symbol does not match: a character is wrong or two are swapped.
    case checkFailed
    /// Read in the legacy form, it is the displayed form of the fingerprint
    /// it was compared with, with one character left out.
    case symbolMissing

    static let again = "Compare it again, character by character, with the one you were given."

    public var description: String {
        switch self {
        case .invalidCharacter(let p):
            "this fingerprint has a typo: character \(p + 1) cannot be in a fingerprint. \(Self.again)"
        case .wrongLength(32):
            """
            this fingerprint has a typo: it has 32 characters, and a fingerprint has 33 (11 groups of 3). \
            Either a character is missing, or it is the old form without a check symbol, which is no longer \
            accepted here (ask for the fingerprint again in the new form). \(Self.again)
            """
        case .wrongLength(let n):
            "this fingerprint has a typo: it has \(n) characters, and a fingerprint has 33 (11 groups of 3). \(Self.again)"
        case .checkFailed:
            "this fingerprint has a typo: its check symbol (the last character) does not match the rest, so a character is wrong or two are swapped. \(Self.again)"
        case .symbolMissing:
            "this fingerprint has a typo: it is the organisation's fingerprint with one character left out. \(Self.again)"
        }
    }
}
