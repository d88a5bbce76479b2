/// How an upload names its tip (PROTOCOL.md §14.4): by the id `SubmitTip`
/// answered, or, for a tipster who kept only the codename, by its mailbox id.
public enum UploadTarget: Sendable {
    case id([UInt8])
    case mailbox([UInt8])
}
