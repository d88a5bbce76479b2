/// Frame types (PROTOCOL.md §11.3).
public enum FrameType: UInt8, Sendable, CaseIterable {
    /// Client → server: opens a call (method, timeout, metadata).
    case callStart = 1
    /// Either way: one protobuf message of an open call.
    case message = 2
    /// Server → client: closes a call with a status.
    case callEnd = 3
    /// Client → server: abandon a call; the server stops its work.
    case cancel = 4
    /// Either way, stream 0: liveness check; the ACK flag marks the answer.
    case ping = 5
    /// Server → client, stream 0: no new calls; in-flight calls finish.
    case goAway = 6
}
