/// A published bundle as stored: its version, id and signed bytes, and the
/// audit entry that published it (which orders it among the events).
struct StoredBundle: Sendable {
    let version: Int64
    let id: [UInt8]
    let signed: [UInt8]
    let auditSequence: UInt64
}
