import TiplineRPC

/// How the harness reads one fuzz input: the first byte chooses how the rest
/// is delivered, and the rest is what a client sends on the wire.
///
///     byte 0:  bit 0     prepend a valid preface (so half the inputs get past it)
///              bits 1–3  chunk size: whole, 1, 2, 3, 7, 16, 64, 512 bytes per read
///              bit 4     after the input, ask the connection to quiesce (graceful shutdown)
///              bit 5     then move the loop's clock 60 s on (timeouts, deadlines, grace period)
///              bit 6     make the channel unwritable halfway through (backpressure)
///     byte 1…: the client's bytes
///
/// `scripts/make-fuzz-corpus` writes seeds in this layout.
public struct FuzzInput: Sendable {
    static let chunkSizes = [Int.max, 1, 2, 3, 7, 16, 64, 512]
    /// More reads than this are merged, so a 4 KiB input read one byte at a
    /// time does not cost 4096 trips to the event loop.
    static let maximumChunks = 64

    /// The bytes the client sends.
    public let wire: [UInt8]
    /// The same bytes, split into the reads the connection sees.
    public let chunks: [[UInt8]]
    public let quiesce: Bool
    public let advanceClock: Bool
    public let unwritableHalfway: Bool

    public init(_ input: [UInt8]) {
        let control = input.first ?? 0
        let rest = input.dropFirst()
        let wire = (control & 0x01 != 0 ? ConnectionPreface.bytes : []) + rest
        self.wire = wire
        quiesce = control & 0x10 != 0
        advanceClock = control & 0x20 != 0
        unwritableHalfway = control & 0x40 != 0

        let wanted = Self.chunkSizes[Int((control >> 1) & 0x07)]
        let size = max(min(wanted, wire.count), (wire.count + Self.maximumChunks - 1) / Self.maximumChunks, 1)
        chunks = stride(from: 0, to: wire.count, by: size).map { Array(wire[$0..<min($0 + size, wire.count)]) }
    }
}
