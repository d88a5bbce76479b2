/// What a codename unlocks: the reply key responders seal replies to, the
/// mailbox signing key, the mailbox id the server files messages under, the
/// tip's upload token and its attachments' keys (PROTOCOL.md §6.3).
///
/// The upload token and the attachment keys come from the codename rather
/// than from chance so that a tipster whose upload broke off, and whose
/// program has since closed, can send the missing file again with the
/// codename alone: the same file gets the same key the sealed manifest
/// names, and the same token still opens the tip's free slots.
public struct CodenameKeys: Sendable {
    /// X25519 key pair whose public half the tipster puts inside the sealed tip.
    public let replyKey: BoxKeyPair
    /// Ed25519 key pair that signs the tipster's mailbox requests.
    public let mailboxKey: SigningKeyPair
    /// `H_32("tipline/v1/codename/upload-token", master)`: sent with the tip,
    /// and with each attachment upload.
    public let uploadToken: SecureBytes
    /// The codename's master secret, kept only to derive attachment keys.
    let master: SecureBytes

    init(replyKey: BoxKeyPair, mailboxKey: SigningKeyPair, uploadToken: SecureBytes, master: SecureBytes) {
        self.replyKey = replyKey
        self.mailboxKey = mailboxKey
        self.uploadToken = uploadToken
        self.master = master
    }

    /// `H_32("tipline/v1/mailbox-id", mailbox_pk)`: public, and unlinkable to
    /// the codename without the codename.
    public var mailboxId: [UInt8] {
        DomainHash.hash(DomainHash.Label.mailboxId, mailboxKey.publicKey.bytes)
    }

    /// `H_32("tipline/v1/codename/attachment-key", master || content_hash)`:
    /// the key of the attachment whose plaintext hashes to `contentHash`
    /// (`H_32("tipline/v1/attachment-content", plaintext)`, §17). Two
    /// attachments of one tip share a key only when their content is the
    /// same; each stream still has its own random secretstream header.
    public func attachmentKey(contentHash: [UInt8]) -> SecureBytes {
        let input = SecureBytes(count: master.count + contentHash.count) { buffer in
            master.withUnsafeBytes { buffer.copyMemory(from: $0) }
            contentHash.withUnsafeBytes {
                UnsafeMutableRawBufferPointer(rebasing: buffer[master.count...]).copyMemory(from: $0)
            }
        }
        return DomainHash.hash(DomainHash.Label.codenameAttachmentKey, secret: input)
    }
}
