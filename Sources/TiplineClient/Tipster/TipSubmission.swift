import TiplineCrypto
import TiplineProto

/// The tipster's whole submission, in two steps so that the codename can be
/// shown the moment the tip is durably stored, before any file goes up:
///
/// 1. ``file(_:bundle:over:proofOfWorkProgress:)``: a fresh codename, the tip
///    sealed to the verified bundle's responders with the codename's reply
///    and mailbox keys inside, proof of work, and the tip itself;
/// 2. ``upload(_:for:over:progress:)`` for each attachment, streamed and
///    encrypted on the fly (a text too long for one envelope first, as an
///    attachment flagged as the text).
///
/// The upload token and every attachment key come from the codename
/// (PROTOCOL.md §6.3), so an upload that breaks off can be sent again by
/// this process, or by a later one that knows only the codename
/// (``resend(_:keys:over:progress:)``).
public enum TipSubmission {
    /// Seals and files the tip; returns once the server has committed it.
    /// The draft must have been prepared (``TipDraft/preparedForSending()``);
    /// it is prepared again here when it was not.
    public static func file(
        _ draft: TipDraft, to recipients: TrustedRecipients, over connection: TiplineConnection, codename: Codename = Codename(),
        proofOfWorkProgress: @escaping (UInt64, UInt64) -> Bool = { _, _ in true }
    ) async throws -> SubmittedTip {
        let draft = try draft.preparedForSending()
        let keys = codename.deriveKeys()
        let envelope = try draft.seal(for: recipients, keys: keys)
        let response = try await connection.submitTip(
            envelope: envelope, mailboxKey: keys.mailboxKey.publicKey, attachmentCount: draft.attachments.count,
            uploadToken: draft.attachments.isEmpty ? nil : keys.uploadToken, progress: proofOfWorkProgress)
        return SubmittedTip(codename: codename, keys: keys, tipId: Array(response.tipID), receivedAt: response.receivedAt,
                            attachments: draft.attachments)
    }

    /// Uploads one attachment of a tip this process filed.
    public static func upload(_ file: AttachmentFile, for tip: SubmittedTip, over connection: TiplineConnection,
                              progress: @escaping @Sendable (UInt64) -> Void = { _ in }) async throws {
        _ = try await connection.uploadAttachment(
            tip: .id(tip.tipId), uploadToken: tip.keys.uploadToken, encryptedSize: file.encryptedSize,
            pieces: EncryptedFileStream(file: file, key: tip.keys.attachmentKey(contentHash: file.contentHash), progress: progress))
    }

    /// Sends a file of an earlier tip again, knowing only its codename: the
    /// tip is named by its mailbox id, and the file is encrypted under the
    /// key its manifest entry already names (derived from the codename and
    /// the file's content). A different file than the one first attached
    /// would upload, but no responder's reader would accept it: its key and
    /// hash match no manifest entry.
    public static func resend(_ file: AttachmentFile, keys: CodenameKeys, over connection: TiplineConnection,
                              progress: @escaping @Sendable (UInt64) -> Void = { _ in }) async throws {
        _ = try await connection.uploadAttachment(
            tip: .mailbox(keys.mailboxId), uploadToken: keys.uploadToken, encryptedSize: file.encryptedSize,
            pieces: EncryptedFileStream(file: file, key: keys.attachmentKey(contentHash: file.contentHash), progress: progress))
    }
}
