/// The paths of every method in proto/tipline/v1, written beside the
/// generated messages (protoc-gen-swift generates messages only).
public enum TiplineMethod {
    public static let getBundle = "/tipline.v1.BundleService/GetBundle"
    public static let listBundles = "/tipline.v1.BundleService/ListBundles"
    public static let publishBundle = "/tipline.v1.BundleService/PublishBundle"
    public static let getChallenge = "/tipline.v1.SubmissionService/GetChallenge"
    public static let submitTip = "/tipline.v1.SubmissionService/SubmitTip"
    public static let uploadAttachment = "/tipline.v1.SubmissionService/UploadAttachment"
    public static let syncInbox = "/tipline.v1.ResponderService/SyncInbox"
    public static let downloadAttachment = "/tipline.v1.ResponderService/DownloadAttachment"
    public static let appendTriageEvent = "/tipline.v1.ResponderService/AppendTriageEvent"
    public static let postReply = "/tipline.v1.ResponderService/PostReply"
    public static let setExpiry = "/tipline.v1.ResponderService/SetExpiry"
    public static let purgeExpired = "/tipline.v1.ResponderService/PurgeExpired"
    public static let publishReceivingKey = "/tipline.v1.ResponderService/PublishReceivingKey"
    public static let fetchMailbox = "/tipline.v1.MailboxService/FetchMailbox"
    public static let postFollowUp = "/tipline.v1.MailboxService/PostFollowUp"
    public static let getAuditLog = "/tipline.v1.AuditService/GetAuditLog"
    public static let getAuditHead = "/tipline.v1.AuditService/GetAuditHead"

    /// Every path, for checking a method table covers the whole contract.
    public static let all = [getBundle, listBundles, publishBundle, getChallenge, submitTip, uploadAttachment, syncInbox,
                             downloadAttachment, appendTriageEvent, postReply, setExpiry, purgeExpired, fetchMailbox,
                             // Appended, never inserted: the service fuzzer picks methods by their index here.
                             postFollowUp, getAuditLog, getAuditHead, publishReceivingKey]
}
