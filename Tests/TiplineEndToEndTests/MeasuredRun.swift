import Foundation
import Glibc

/// A built tool run to its end as a child of its own, with the most resident
/// memory it ever had: the kernel's count (`wait4`'s `ru_maxrss`, the
/// VmHWM of the process as it exited). Foundation's `Process` reaps its
/// children itself and keeps their usage, so this one spawns and waits.
struct MeasuredRun {
    let status: Int32
    let stdout: String
    let stderr: String
    let peakResidentBytes: Int

    /// Runs `tool` with `arguments`, standard input empty, and kills it after
    /// `timeout` seconds. It runs in this process's directory, not the
    /// tool's (Swift does not see glibc's `posix_spawn_file_actions_addchdir_np`),
    /// so paths in `arguments` must be absolute.
    static func run(_ tool: Tool, _ arguments: [String], timeout: Double = 120) throws -> MeasuredRun {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("measured-run-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outPath = scratch + "/stdout", errPath = scratch + "/stderr"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let argv: [UnsafeMutablePointer<CChar>?] = ([tool.path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = tool.processEnvironment().map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tool.path, &actions, nil, argv, envp)
        guard spawned == 0 else { throw TestFailure("could not start \(tool.name): error \(spawned)") }

        var status: Int32 = 0
        var usage = rusage()
        let deadline = Date().addingTimeInterval(timeout)
        var killed = false
        while true {
            let waited = wait4(pid, &status, WNOHANG, &usage)
            if waited == pid { break }
            if waited == -1 && errno != EINTR { throw TestFailure("wait4 for \(tool.name) failed: errno \(errno)") }
            if !killed && Date() > deadline {
                kill(pid, SIGKILL)
                killed = true
            }
            usleep(5_000)
        }
        guard !killed else { throw TestFailure("\(tool.name) \(arguments.first ?? "") outlived \(Int(timeout)) s and was killed") }
        // Exited normally when the low 7 bits are 0; the code is the next byte.
        let exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return MeasuredRun(status: exitStatus,
                           stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                           stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "",
                           peakResidentBytes: Int(usage.ru_maxrss) * 1024)
    }

    /// Standard output parsed as JSON, or a failure that shows standard error.
    func json() throws -> Any {
        guard status == 0 else { throw TestFailure("exited \(status): \(stderr)") }
        return try JSONSerialization.jsonObject(with: Data(stdout.utf8))
    }
}
