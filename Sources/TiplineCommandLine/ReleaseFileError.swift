/// Why a release could not be checked at all: the files given, before any
/// §9.1 check (those are ``TiplineCrypto/ReleaseSignatureError``).
public enum ReleaseFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The program or the signature file cannot be read.
    case unreadable(path: String, reason: String)
    /// What was given as the signature is far larger than any release
    /// signature: most often the program and its `.sig` the other way round.
    case notASignature(path: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .notASignature(let path):
            "\(path) is not a release signature file (those are small .sig files); give the program first, then its .sig file"
        }
    }
}
