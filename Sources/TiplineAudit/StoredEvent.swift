/// A triage event, reply or follow-up row. `kind` is the audit kind stored
/// with it (3 triage event, 4 reply, 5 follow-up), kept raw so that an
/// altered row is reported rather than dropped.
struct StoredEvent: Sendable {
    let sequence: UInt64
    let tipId: [UInt8]
    let kind: Int64
    let envelope: [UInt8]
}
