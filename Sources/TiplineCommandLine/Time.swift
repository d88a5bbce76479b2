import Foundation

/// Server times are coarse (an hour by default); show them as such, in UTC.
public enum Time {
    public static func format(_ seconds: UInt64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))) + "Z"
    }
}
