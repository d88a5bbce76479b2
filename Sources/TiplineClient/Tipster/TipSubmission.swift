import TiplineCrypto
import TiplineProto

/// The tipster's whole submission: a fresh codename, the tip sealed to the
/// verified bundle's responders with the codename's reply key inside, proof
/// of work, the tip, then each attachment streamed and encrypted on the fly
/// (a text too long for one envelope first, as an attachment flagged as the text).
public enum TipSubmission {
    public static func submit(
        _ draft: TipDraft, bundle: KeyBundle, over connection: TiplineConnection,
        proofOfWorkProgress: @escaping (UInt64, UInt64) -> Bool = { _, _ in true },
        tipAcknowledged: () -> Void = {},
        uploadProgress: @escaping @Sendable (_ file: AttachmentFile, _ sent: UInt64) -> Void = { _, _ in },
        uploadFinished: (_ file: AttachmentFile) -> Void = { _ in }
    ) async throws -> SubmittedTip {
        // A text too long for one envelope becomes the first attachment
        // (a no-op when the caller already prepared the draft).
        let draft = try draft.preparedForSending()
        let codename = Codename()
        let keys = codename.deriveKeys()
        let envelope = try draft.seal(for: bundle, replyKey: keys.replyKey.publicKey, mailboxKey: keys.mailboxKey.publicKey)
        let response = try await connection.submitTip(envelope: envelope, mailboxKey: keys.mailboxKey.publicKey,
                                                      attachmentCount: draft.attachments.count, progress: proofOfWorkProgress)
        tipAcknowledged()
        for file in draft.attachments {
            _ = try await connection.uploadAttachment(
                tipId: Array(response.tipID), uploadToken: Array(response.uploadToken), encryptedSize: file.encryptedSize,
                pieces: EncryptedFileStream(file: file, progress: { uploadProgress(file, $0) }))
            uploadFinished(file)
        }
        return SubmittedTip(codename: codename, tipId: Array(response.tipID), receivedAt: response.receivedAt,
                            attachmentsSent: draft.attachments.count { !$0.isText })
    }
}
