/// Why a release was not shown genuine. Each case is a distinct check of
/// proto/PROTOCOL.md §9.1; the words are for a tipster deciding whether to
/// run a program, so each says what to do.
public enum ReleaseSignatureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The signature file ended before a field was complete, or before its 64 signature bytes.
    case truncated
    /// The signature file does not start with the magic `TLRS`.
    case badMagic
    /// The signature file's format version is not one this build understands.
    case unsupportedFormat(UInt8)
    /// The signed name is empty, not UTF-8, or holds a control character or `/`.
    case invalidName
    /// Bytes follow the signature.
    case trailingBytes
    /// The key in the signature file does not have the fingerprint given.
    case wrongOrganisation
    /// The organisation's signature does not verify.
    case badSignature
    /// The file's size is not the size that was signed.
    case sizeMismatch(signed: UInt64, actual: UInt64)
    /// The file's hash is not the hash that was signed.
    case fileMismatch

    public var description: String {
        switch self {
        case .truncated:
            "the signature file is incomplete; download it again"
        case .badMagic:
            "that is not a release signature file (a .sig file from your organisation)"
        case .unsupportedFormat(let v):
            "the signature file has format \(v), which this version of the program cannot read"
        case .invalidName:
            "the signature file is damaged (the name it gives is not valid text)"
        case .trailingBytes:
            "the signature file has extra bytes at its end; download it again"
        case .wrongOrganisation:
            "this file was signed by another organisation than the fingerprint you gave, and that fingerprint has no "
                + "typo. Do not run it; get the program again from your organisation"
        case .badSignature:
            "the signature is not valid: the signature file was changed or damaged. Do not run this file"
        case .sizeMismatch(let signed, let actual):
            "the file has \(actual) bytes, but the program your organisation signed has \(signed): the download is "
                + "incomplete, or this is another file. Do not run it; download it again"
        case .fileMismatch:
            "the file is not the one your organisation signed: it was changed. Do not run it"
        }
    }
}
