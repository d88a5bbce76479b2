import Foundation

/// Unix time in seconds.
public enum WallClock {
    public static func now() -> UInt64 { UInt64(Date().timeIntervalSince1970) }
}
