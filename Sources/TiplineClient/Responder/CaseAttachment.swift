/// An attachment the tipster announced in the sealed manifest, and whether
/// the server holds its stream.
public struct CaseAttachment: Sendable, Encodable {
    public let index: Int
    public let name: String
    public let size: UInt64
    /// The server's id of the stored stream, hex, once matched by order of upload.
    public let storedId: String?
    /// The tipster's text, too long for the envelope, rather than a file.
    public var isText = false
}
