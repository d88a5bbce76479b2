import TiplineRPC

/// Integers a peer sent, range-checked before any conversion or arithmetic.
/// Swift traps on overflow in release builds too, so one unchecked
/// `Int64(x)` or `x + window` on a peer's value is a remote kill switch.
enum WireInteger {
    /// The largest sequence number, time or version the store can hold: SQLite
    /// INTEGER is signed 64-bit (PROTOCOL.md §12).
    static let maximumStorable = UInt64(Int64.max)

    /// `value` if the store can hold it; otherwise INVALID_ARGUMENT naming `field`.
    static func storable(_ value: UInt64, field: String) throws -> UInt64 {
        guard value <= maximumStorable else {
            throw RPCError(.invalidArgument, "\(field) is out of range: at most \(maximumStorable)")
        }
        return value
    }

    /// Whether `time` lies within `window` seconds of `now` either side,
    /// without overflowing at either end of UInt64.
    static func within(_ time: UInt64, of now: UInt64, window: UInt64) -> Bool {
        let earliest = now >= window ? now - window : 0
        let latest = now <= UInt64.max - window ? now + window : UInt64.max
        return time >= earliest && time <= latest
    }
}
