#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CTiplineSystem

/// Process-wide protections that every Tipline executable applies at start.
public enum ProcessHardening {
    /// The reasons hardening can fail.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// `setrlimit(RLIMIT_CORE, 0)` failed with this `errno`.
        case coreLimit(errno: Int32)
        /// `prctl(PR_SET_DUMPABLE, 0)` failed with this `errno`.
        case dumpable(errno: Int32)

        public var description: String {
            switch self {
            case .coreLimit(let e): "could not disable core dumps (setrlimit: errno \(e))"
            case .dumpable(let e): "could not mark the process non-dumpable (prctl: errno \(e))"
            }
        }
    }

    /// Disables core dumps, so that a crash never writes keys, passphrases or
    /// plaintext to disk, and marks the process non-dumpable, which also stops
    /// other processes of the same user from attaching with ptrace.
    public static func disableCoreDumps() throws(Failure) {
        var limit = rlimit(rlim_cur: 0, rlim_max: 0)
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_CORE.rawValue)
        #else
        let resource = RLIMIT_CORE
        #endif
        if setrlimit(resource, &limit) != 0 {
            throw .coreLimit(errno: errno)
        }
        if tipline_set_not_dumpable() != 0 {
            throw .dumpable(errno: errno)
        }
    }

    /// Whether the process is dumpable (`prctl(PR_GET_DUMPABLE)`), for tests.
    public static var isDumpable: Bool { tipline_is_dumpable() != 0 }

    /// The current soft and hard core-file size limits, for tests and the audit.
    public static func coreDumpLimit() -> (soft: UInt64, hard: UInt64) {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_CORE.rawValue)
        #else
        let resource = RLIMIT_CORE
        #endif
        _ = getrlimit(resource, &limit)
        return (UInt64(limit.rlim_cur), UInt64(limit.rlim_max))
    }
}
