import Foundation

/// The file system a path is on, from /proc/self/mounts (Linux only). It
/// matters: on tmpfs an fsync costs nothing, and every figure of this
/// benchmark would mean nothing.
struct FileSystem: Sendable {
    /// The mounted device, such as `/dev/vda`, or a name such as `tmpfs`.
    let device: String
    let type: String

    init?(containing path: String) {
        guard let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return nil }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var best: (mountPoint: String, device: String, type: String)?
        for line in mounts.split(separator: "\n") {
            // "device mount-point type options 0 0"; spaces in the mount point are \040.
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let mountPoint = fields[1].replacingOccurrences(of: "\\040", with: " ")
            let inside = mountPoint == "/" || resolved == mountPoint || resolved.hasPrefix(mountPoint + "/")
            if inside && mountPoint.count >= (best?.mountPoint.count ?? -1) {
                best = (mountPoint, String(fields[0]), String(fields[2]))
            }
        }
        guard let best else { return nil }
        device = best.device
        type = best.type
    }

    /// File systems that keep everything in memory, where fsync is free.
    var isVolatile: Bool { ["tmpfs", "ramfs"].contains(type) }
}
