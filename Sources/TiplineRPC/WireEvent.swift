/// What ``FrameDecoder`` produces from the byte stream.
public enum WireEvent: Sendable, Equatable {
    /// The peer's preface arrived, with this (supported) version.
    case preface(version: UInt8)
    /// A complete frame.
    case frame(Frame)
    /// Bytes of an unfinished preface or frame are buffered. Emitted once per
    /// unit, so the connection can start the per-frame read timeout.
    case partial
}
