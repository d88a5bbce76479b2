/// One item of the responders' inbox, in audit order.
public enum InboxRecord: Sendable, Equatable {
    case tip(id: [UInt8], envelope: [UInt8], receivedAt: UInt64, expiresAt: UInt64?, mailboxId: [UInt8])
    case event(tipId: [UInt8], kind: AuditKind, envelope: [UInt8], receivedAt: UInt64, actor: [UInt8])
    case attachment(id: [UInt8], tipId: [UInt8], encryptedSize: UInt64)
    case purged(tipId: [UInt8])
    /// An entry with nothing to show (a bundle, an expiry change, a record since purged).
    case none
}
