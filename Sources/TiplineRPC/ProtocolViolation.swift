/// Ways a peer can break the wire protocol (PROTOCOL.md §11). Each one ends
/// the connection: the server first sends GOAWAY with the status shown.
public enum ProtocolViolation: Error, Equatable, Sendable, CustomStringConvertible {
    /// The first bytes are not the connection preface.
    case badPreface
    /// The preface names a protocol version this side does not speak.
    case unsupportedVersion(UInt8)
    /// A frame's length prefix exceeds the maximum frame size (checked before buffering).
    case frameTooLarge(length: UInt32, limit: Int)
    /// The frame type byte is unknown.
    case unknownFrameType(UInt8)
    /// A frame's payload does not parse (CALL_START, CALL_END, PING or GOAWAY).
    case malformedPayload(FrameType)
    /// A frame uses a stream id it must not: 0 for a call, a non-zero id for a
    /// connection frame, an even id, or a new id not above the last one.
    case invalidStreamID(UInt32)
    /// CALL_START's metadata is larger than the limit.
    case metadataTooLarge(Int)
    /// The preface did not arrive in time.
    case prefaceTimeout
    /// A started frame was not completed in time (slow-loris defence).
    case frameReadTimeout
    /// A frame that only the other side may send.
    case unexpectedFrame(FrameType)
    /// A frame still arriving, or responses the peer is not reading, would
    /// take more memory than the named budget has left.
    case overBudget(scope: String)
    /// The peer did not read the server's responses within the progress timeout.
    case noProgress

    /// The status the GOAWAY carries.
    public var status: RPCStatus {
        switch self {
        case .frameTooLarge, .metadataTooLarge, .overBudget: .resourceExhausted
        case .unsupportedVersion: .unimplemented
        case .prefaceTimeout, .frameReadTimeout, .noProgress: .deadlineExceeded
        default: .invalidArgument
        }
    }

    public var description: String {
        switch self {
        case .badPreface: "the connection did not start with the Tipline RPC preface"
        case .unsupportedVersion(let v): "protocol version \(v) is not supported"
        case .frameTooLarge(let length, let limit): "frame of \(length) bytes exceeds the limit of \(limit)"
        case .unknownFrameType(let t): "unknown frame type \(t)"
        case .malformedPayload(let t): "malformed \(t) payload"
        case .invalidStreamID(let id): "invalid stream id \(id)"
        case .metadataTooLarge(let n): "call metadata of \(n) bytes exceeds the limit"
        case .prefaceTimeout: "no preface within the handshake timeout"
        case .frameReadTimeout: "a frame was not completed within the read timeout"
        case .unexpectedFrame(let t): "unexpected \(t) frame"
        case .overBudget(let scope): "the \(scope) memory budget is used up; try again later"
        case .noProgress: "responses were not read within the progress timeout"
        }
    }
}
