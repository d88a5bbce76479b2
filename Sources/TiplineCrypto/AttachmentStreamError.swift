/// Why an encrypted attachment stream was refused (proto/PROTOCOL.md §5).
public enum AttachmentStreamError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The stream header is shorter than 29 bytes.
    case truncatedHeader
    /// The stream does not start with the magic `TLAT`.
    case badMagic
    /// The stream's format version is not one this build understands.
    case unsupportedFormat(UInt8)
    /// The secretstream header is invalid for this key.
    case invalidHeader
    /// Chunk `index` (from 0) failed authentication: it was altered, reordered,
    /// or encrypted under another key.
    case chunkAuthenticationFailed(index: UInt64)
    /// The stream ended before its final chunk: it was truncated.
    case truncated
    /// Bytes follow the final chunk.
    case trailingData
    /// A non-final chunk is not full-size, or a non-empty file ends with an empty final chunk.
    case nonCanonicalChunking(index: UInt64)
    /// A chunk carried a tag other than MESSAGE or FINAL.
    case unexpectedTag(index: UInt64)
    /// The caller's read function reported more bytes than the buffer it was given.
    case readerOverrun(reported: Int, room: Int)

    public var description: String {
        switch self {
        case .truncatedHeader: "the attachment stream's header is truncated"
        case .badMagic: "this is not a Tipline attachment stream"
        case .unsupportedFormat(let v): "the attachment stream has unsupported format version \(v)"
        case .invalidHeader: "the attachment stream's header is invalid"
        case .chunkAuthenticationFailed(let i): "attachment chunk \(i) failed authentication: it was altered or reordered"
        case .truncated: "the attachment stream ends before its final chunk: it was truncated"
        case .trailingData: "the attachment stream has data after its final chunk"
        case .nonCanonicalChunking(let i): "attachment chunk \(i) has a non-canonical size"
        case .unexpectedTag(let i): "attachment chunk \(i) has an unexpected tag"
        case .readerOverrun(let n, let room): "the reader reported \(n) bytes for a buffer of \(room)"
        }
    }
}
