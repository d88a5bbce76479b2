import Foundation

/// The open-file limit. The memory test holds 1,000 client sockets in the
/// parent and 1,000 accepted sockets in the server; a common soft limit of
/// 1,024 would be hit, so both processes raise theirs to the hard limit.
enum FileLimit {
    /// Raises the soft limit to the hard limit; returns the soft limit now.
    @discardableResult
    static func raise() -> Int {
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return -1 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(resource, &limit)
            _ = getrlimit(resource, &limit)
        }
        return Int(clamping: limit.rlim_cur)
    }
}
