/// The fixed moments every time-dependent vector uses, so that the files
/// never change with the day they are generated.
enum VectorClock {
    /// 2027-01-15T08:00:00Z, the `now` of every vector unless a case moves it.
    static let now: UInt64 = 1_800_000_000
    static let issued: UInt64 = now - 86_400
    static let expires: UInt64 = now + 90 * 86_400
}
