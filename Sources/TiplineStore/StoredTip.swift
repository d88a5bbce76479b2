/// A tip the store has made durable: its random id, its audit entry's
/// sequence number and its coarse receive time.
public struct StoredTip: Sendable, Equatable {
    public let id: [UInt8]
    public let sequence: UInt64
    public let receivedAt: UInt64
}
