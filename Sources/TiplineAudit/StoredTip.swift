/// A tip row as the auditor reads it: sealed bytes and ids only.
struct StoredTip: Sendable {
    let id: [UInt8]
    let envelope: [UInt8]
    /// The padded length the server recorded when it accepted the envelope.
    let paddedLength: Int64
    let mailboxId: [UInt8]
    /// The version of the bundle in force when the tip was accepted.
    let bundleVersion: Int64
    let auditSequence: UInt64
    /// The server's (coarse) time of receipt; 0 when unreadable.
    var receivedAt: UInt64 = 0
}
