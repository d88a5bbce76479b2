/// What a codename unlocks: the reply key responders seal replies to, the
/// mailbox signing key, and the mailbox id the server files messages under.
public struct CodenameKeys: Sendable {
    /// X25519 key pair whose public half the tipster puts inside the sealed tip.
    public let replyKey: BoxKeyPair
    /// Ed25519 key pair that signs the tipster's mailbox requests.
    public let mailboxKey: SigningKeyPair

    /// `H_32("tipline/v1/mailbox-id", mailbox_pk)`: public, and unlinkable to
    /// the codename without the codename.
    public var mailboxId: [UInt8] {
        DomainHash.hash(DomainHash.Label.mailboxId, mailboxKey.publicKey.bytes)
    }
}
