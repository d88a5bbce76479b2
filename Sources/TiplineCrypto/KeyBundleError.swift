/// Why a key bundle was refused. Each case is a distinct check of
/// proto/PROTOCOL.md §3.
public enum KeyBundleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bundle ended before a field was complete.
    case truncated
    /// The bundle does not start with the magic `TLKB`.
    case badMagic
    /// The bundle's format version is not one this build understands.
    case unsupportedFormat(UInt8)
    /// Bytes follow the signature.
    case trailingBytes
    /// The bundle version is 0; versions start at 1.
    case invalidVersion
    /// The expiry is not after the issue time.
    case invalidValidityPeriod
    /// The bundle lists no responders.
    case noResponders
    /// The bundle lists more responders than ``KeyBundle/maxResponders``.
    case tooManyResponders(Int)
    /// Responders are not in strictly ascending order of recipient key id.
    case respondersNotSorted
    /// Two responders share a key id, a signing key or a display name.
    case duplicateResponder
    /// A display name is empty, too long, not UTF-8 or has control characters.
    case invalidName
    /// A responder's role byte is not a known role.
    case unknownRole(UInt8)
    /// A format-2 bundle's receiving-key window, grace or fallback is out of range (§3.1).
    case invalidPolicy
    /// The organisation key in the bundle does not have the pinned fingerprint.
    case wrongOrganisation
    /// The organisation's signature does not verify.
    case badSignature
    /// The bundle has expired.
    case expired
    /// The bundle's issue time is in the future beyond the allowed clock skew.
    case notYetValid
    /// The bundle's version is lower than one already seen.
    case rollback(seen: UInt64, offered: UInt64)
    /// A different bundle with the same version as one already seen.
    case equivocation(version: UInt64)

    public var description: String {
        switch self {
        case .truncated: "the key bundle is truncated"
        case .badMagic: "this is not a Tipline key bundle"
        case .unsupportedFormat(let v): "the key bundle has unsupported format version \(v)"
        case .trailingBytes: "the key bundle has unexpected bytes after its signature"
        case .invalidVersion: "the key bundle's version must be at least 1"
        case .invalidValidityPeriod: "the key bundle expires before it is issued"
        case .noResponders: "the key bundle lists no responders"
        case .tooManyResponders(let n): "the key bundle lists \(n) responders; at most \(KeyBundle.maxResponders) are allowed"
        case .respondersNotSorted: "the key bundle's responders are not in canonical order"
        case .duplicateResponder: "the key bundle lists the same responder key or name twice"
        case .invalidName: "a responder's display name is empty, too long, or not printable UTF-8"
        case .unknownRole(let r): "a responder has unknown role \(r)"
        case .invalidPolicy: "the key bundle's receiving-key window, grace period or fallback is out of range"
        case .wrongOrganisation: "the key bundle was not made by the organisation whose fingerprint you gave"
        case .badSignature: "the key bundle's signature is not valid"
        case .expired: "the key bundle has expired"
        case .notYetValid: "the key bundle's issue time is in the future"
        case .rollback(let seen, let offered): "the key bundle is version \(offered), older than version \(seen) already seen"
        case .equivocation(let v): "a different key bundle with the same version \(v) was seen before"
        }
    }
}
