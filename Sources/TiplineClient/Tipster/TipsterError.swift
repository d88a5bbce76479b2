/// What can stop a tipster's submission or check before the server is involved.
public enum TipsterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An attachment path that is not a readable regular file.
    case unreadableFile(String)
    /// The file changed while it was being sent; what was sent would not match the manifest.
    case fileChanged(String)
    /// Nothing to send.
    case emptyTip

    public var description: String {
        switch self {
        case .unreadableFile(let path): "cannot read \(path) as a regular file"
        case .fileChanged(let path): "\(path) changed while it was being sent"
        case .emptyTip: "the tip has no text: say what happened"
        }
    }
}
