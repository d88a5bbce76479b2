import Foundation

/// The run's data directories, one per side, under one temporary directory
/// on one file system, so that the server and the baselines write to the
/// same disk. Removed at the end of the run.
struct ScratchDirectory: Sendable {
    let path: String

    init(parent: String?) throws {
        let base = parent ?? FileManager.default.temporaryDirectory.path
        path = (base as NSString).appendingPathComponent("server-bench-\(UUID().uuidString)")
        for side in Side.allCases {
            try FileManager.default.createDirectory(atPath: directory(for: side), withIntermediateDirectories: true)
        }
    }

    func directory(for side: Side) -> String { (path as NSString).appendingPathComponent(side.rawValue) }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
