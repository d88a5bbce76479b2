import Foundation

/// The block device a directory is on, and the write requests it has
/// completed, from /proc/diskstats (Linux only; nil for file systems with no
/// block device, such as tmpfs or overlay).
struct DiskStats: Sendable {
    /// The name /proc/diskstats uses, such as `vda` or `nvme0n1p2`.
    let device: String

    init?(device path: String?) {
        guard let path, path.hasPrefix("/dev/") else { return nil }
        device = URL(fileURLWithPath: path).resolvingSymlinksInPath().lastPathComponent
        guard writes() != nil else { return nil }
    }

    /// Write requests completed since boot.
    func writes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/diskstats", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            // "major minor name reads-completed reads-merged sectors-read
            // ms-reading writes-completed …"
            let fields = line.split(separator: " ")
            guard fields.count >= 8, fields[2] == device else { continue }
            return Int(fields[7])
        }
        return nil
    }
}
