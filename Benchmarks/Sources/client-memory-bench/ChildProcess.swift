import Foundation
import Glibc

/// A child started with `posix_spawn` and reaped with `wait4`, which hands
/// back the child's own resource usage: its peak resident memory is the
/// kernel's count, not a sample. (Foundation's `Process` reaps its children
/// itself and keeps their usage.) Standard input is /dev/null; standard
/// output and error go to files in the directory `outputs`.
final class ChildProcess {
    let name: String
    let pid: pid_t
    private let stdoutPath: String
    private let stderrPath: String
    private let started = ContinuousClock.now
    private var ended: ChildExit?

    /// The child runs in this process's directory (Swift does not see glibc's
    /// `posix_spawn_file_actions_addchdir_np`), so paths in `arguments` must be absolute.
    init(_ executable: String, _ arguments: [String], environment: [String: String], outputs: String) throws {
        name = (executable as NSString).lastPathComponent + (arguments.first.map { " " + $0 } ?? "")
        let tag = UUID().uuidString
        stdoutPath = (outputs as NSString).appendingPathComponent("\(tag).out")
        stderrPath = (outputs as NSString).appendingPathComponent("\(tag).err")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw BenchFailure("could not start \(executable): \(String(cString: strerror(spawned)))") }
        self.pid = pid
    }

    /// Standard output so far.
    var output: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    /// The most memory the running process has had resident, in KiB (VmHWM).
    var peakResidentKiBSoFar: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }

    /// Waits for the end, killing the child after `timeout`.
    func wait(timeout: Duration) throws -> ChildExit {
        if let ended { return ended }
        var status: Int32 = 0
        var usage = rusage()
        let deadline = ContinuousClock.now + timeout
        var killed = false
        while true {
            let waited = wait4(pid, &status, WNOHANG, &usage)
            if waited == pid { break }
            if waited == -1 && errno != EINTR { throw BenchFailure("wait4 for \(name) failed: \(String(cString: strerror(errno)))") }
            if !killed && ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                killed = true
            }
            usleep(2_000)
        }
        let elapsed = ContinuousClock.now - started
        // Exited normally when the low 7 bits are 0; the code is the next byte.
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let exit = ChildExit(status: code, peakResidentKiB: Int(usage.ru_maxrss),
                             seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                             stdout: output, stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")
        ended = exit
        try? FileManager.default.removeItem(atPath: stdoutPath)
        try? FileManager.default.removeItem(atPath: stderrPath)
        if killed { throw BenchFailure("\(name) outlived \(timeout) and was killed") }
        return exit
    }

    /// SIGTERM, then waits for the end.
    func stop() {
        guard ended == nil else { return }
        kill(pid, SIGTERM)
        _ = try? wait(timeout: .seconds(30))
    }
}
