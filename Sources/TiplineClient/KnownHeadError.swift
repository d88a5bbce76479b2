/// Why a remembered or given audit head could not be used.
public enum KnownHeadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not `SEQ:HASH` with a 64-character hex hash.
    case malformed
    /// The file of remembered heads could not be read or written.
    case file(String)

    public var description: String {
        switch self {
        case .malformed: "an audit head is written SEQ:HASH, the sequence number and the 64-character hex entry hash, as tipline audit prints it"
        case .file(let reason): "the remembered audit heads: \(reason)"
        }
    }
}
