import CTiplineSystem
import Foundation
import Glibc
import TiplineLocking

/// A `tor` started for one run of a tool and for nothing else, so that a
/// tipster needs no Tor of their own set up:
///
/// - a fresh data directory (mode 0700, from `mkdtemp`) under the temporary
///   directory, removed by ``stop()``;
/// - a SOCKS port on 127.0.0.1 that the system picks, learnt from tor's log;
/// - no control port, and no torrc read, the user's or the system's, so that
///   nothing on the device changes what this Tor does;
/// - `AvoidDiskWrites`, and `Log notice stdout` into a pipe only we read;
/// - `__OwningControllerProcess`: if this process dies without stopping it
///   (`kill -9`, a crash), tor notices within 15 seconds and exits.
///
/// Start it with ``start(executable:temporaryDirectory:)``, wait with
/// ``waitUntilListening(until:)`` and ``waitUntilBootstrapped(until:progress:)``,
/// and always ``stop()`` it.
public final class TorProcess: Sendable {
    /// What the log has told so far. Written only by the thread that reads it.
    struct Log: Sendable {
        var socksPort: Int?
        var bootstrap: TorBootstrap?
        var problems: [String] = []
        /// Progress not yet handed to ``waitUntilBootstrapped(until:progress:)``
        /// (the newest 64; tor has about 15 steps).
        var steps: [TorBootstrap] = []
        /// Tor closed its end of the pipe: it has exited, or is exiting.
        var ended = false

        mutating func record(_ line: TorLogLine) {
            switch line {
            case .socksListener(let port): if socksPort == nil { socksPort = port }
            case .bootstrap(let progress):
                bootstrap = progress
                if steps.count == 64 { steps.removeFirst() }
                steps.append(progress)
            case .problem(let message):
                problems.append(message)
                if problems.count > 3 { problems.removeFirst() }
            case .other: break
            }
        }
    }

    public let pid: pid_t
    /// Tor's data directory, which ``stop()`` removes.
    public let dataDirectory: String
    private let log: Locked<Log>
    /// Held for the whole of ``stop()``, so that a second caller (an exit
    /// racing a signal) returns only once tor is gone and the folder removed.
    private let stopped = Locked(false)

    private init(pid: pid_t, dataDirectory: String, log: Locked<Log>) {
        self.pid = pid
        self.dataDirectory = dataDirectory
        self.log = log
    }

    deinit {
        // Callers stop it; this only keeps a forgotten one from outliving us.
        stop()
    }

    /// The `tor` a shell would run: the first executable `tor` in an
    /// absolute folder of `path` (a `PATH`). Relative entries and empty ones
    /// (which mean the current folder) are skipped, so that a `tor` in
    /// whatever folder the tipster stands in is never run by surprise.
    public static func onPath(_ path: String?) -> String? {
        for folder in (path ?? "").split(separator: ":") where folder.hasPrefix("/") {
            let candidate = (folder.hasSuffix("/") ? String(folder) : folder + "/") + "tor"
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    /// The name of every private Tor's data directory: this, then six characters from `mkdtemp`.
    static let folderPrefix = "tip-tor-"

    /// Removes the data directories of private Tors whose tool was killed
    /// with `kill -9` or crashed, and so could not remove them: the
    /// `tip-tor-XXXXXX` folders directly under `temporaryDirectory` that
    /// belong to this user, were last changed more than `age` ago (so that
    /// one being set up right now is left alone), and whose `lock` file no
    /// running tor holds (tor keeps an exclusive `flock` on it while it
    /// runs). Returns how many it removed.
    @discardableResult
    public static func removeAbandoned(under temporaryDirectory: String, olderThan age: Duration = .seconds(60)) -> Int {
        let folder = temporaryDirectory.hasSuffix("/") ? temporaryDirectory : temporaryDirectory + "/"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temporaryDirectory) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(folderPrefix) && name.utf8.count == folderPrefix.utf8.count + 6 {
            let path = folder + name
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & mode_t(S_IFMT)) == mode_t(S_IFDIR), info.st_uid == getuid(),
                  Int64(time(nil)) - Int64(info.st_mtim.tv_sec) >= age.components.seconds else { continue }
            let lock = open(path + "/lock", O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            let abandoned = lock < 0 || flock(lock, LOCK_EX | LOCK_NB) == 0
            if abandoned {
                removeDirectory(path)
                removed += 1
            }
            if lock >= 0 { close(lock) }
        }
        return removed
    }

    /// Makes the data directory and starts `executable` as tor. Returns at
    /// once; tor is then opening its SOCKS port and connecting.
    public static func start(executable: String, temporaryDirectory: String) throws(TorError) -> TorProcess {
        guard isExecutableFile(executable) else { throw .notFound(path: executable) }
        let folder = temporaryDirectory.hasSuffix("/") ? temporaryDirectory : temporaryDirectory + "/"
        var template = Array((folder + folderPrefix + "XXXXXX").utf8CString)
        // mkdtemp makes the folder with mode 0700, which tor also requires of a data directory.
        guard mkdtemp(&template) != nil else { throw .noDataDirectory(under: temporaryDirectory, errno: errno) }
        let dataDirectory = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }

        var ends: [Int32] = [-1, -1]
        guard tipline_pipe_cloexec(&ends) == 0 else {
            let error = errno
            removeDirectory(dataDirectory)
            throw .cannotStart(errno: error)
        }
        var pid: pid_t = 0
        let status = spawn(executable, [executable] + arguments(dataDirectory: dataDirectory, owner: getpid()),
                           output: ends[1], pid: &pid)
        close(ends[1])
        guard status == 0 else {
            close(ends[0])
            removeDirectory(dataDirectory)
            throw .cannotStart(errno: status)
        }

        let log = Locked(Log())
        let output = ends[0]
        let reader = Thread { TorProcess.read(output, into: log) }
        reader.name = "tor log"
        reader.start()
        return TorProcess(pid: pid, dataDirectory: dataDirectory, log: log)
    }

    /// Tor's command line after the program name. Options on the command
    /// line override any torrc, and with `-f /dev/null`,
    /// `--defaults-torrc /dev/null` and `--ignore-missing-torrc` none is read.
    static func arguments(dataDirectory: String, owner: pid_t) -> [String] {
        [
            "-f", "/dev/null", "--defaults-torrc", "/dev/null", "--ignore-missing-torrc",
            "--DataDirectory", dataDirectory,
            "--SocksPort", "127.0.0.1:auto",
            // Nothing else on this device may steer this Tor.
            "--ControlPort", "0",
            "--Log", "notice stdout",
            "--AvoidDiskWrites", "1",
            "--RunAsDaemon", "0",
            "--__OwningControllerProcess", String(owner),
        ]
    }

    /// The SOCKS port, once tor has said which it opened.
    public var socksPort: Int? { log.withLock { $0.socksPort } }

    /// The latest bootstrap progress tor has reported.
    public var bootstrap: TorBootstrap? { log.withLock { $0.bootstrap } }

    /// Tor has neither been stopped nor ended by itself.
    public var isRunning: Bool {
        !log.withLock { $0.ended } && !stopped.withLock { $0 }
    }

    /// Waits until tor has opened its SOCKS port, and returns the port.
    /// Throws ``TorError/exited(lastProblems:)`` if tor ends first, and
    /// ``TorError/timedOut(reached:)`` at the deadline.
    public func waitUntilListening(until deadline: ContinuousClock.Instant) async throws -> Int {
        try await wait(until: deadline, handingOver: nil) { $0.socksPort != nil }
        return socksPort!
    }

    /// Waits until tor has bootstrapped (100%), calling `progress` with each
    /// step it has reported since the last such wait, in order. Throws as
    /// ``waitUntilListening(until:)``.
    public func waitUntilBootstrapped(until deadline: ContinuousClock.Instant,
                                      progress: @escaping @Sendable (TorBootstrap) -> Void) async throws {
        try await wait(until: deadline, handingOver: progress) { $0.bootstrap?.isDone == true }
    }

    /// Stops tor (SIGTERM; SIGKILL if it has not exited within 3 seconds),
    /// reaps it, and removes its data directory. Safe to call again and from
    /// any thread, a signal handler's queue included.
    public func stop() {
        stopped.withLock { stopped in
            guard !stopped else { return }
            stopped = true
            kill(pid, SIGTERM)
            if !Self.reap(pid, within: .seconds(3)) {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            }
            Self.removeDirectory(dataDirectory)
        }
    }

    /// Watches the log until `ready` holds, tor's output ends, or the
    /// deadline, handing progress steps over to `progress` if given. It
    /// looks 20 times a second: tor reports a few lines a second at most,
    /// and a look costs a lock.
    private func wait(until deadline: ContinuousClock.Instant, handingOver progress: (@Sendable (TorBootstrap) -> Void)?,
                      ready: (Log) -> Bool) async throws {
        let handsOver = progress != nil
        while true {
            let (steps, isReady, ended) = log.withLock { log in
                defer { if handsOver { log.steps.removeAll() } }
                return (log.steps, ready(log), log.ended)
            }
            if let progress { steps.forEach(progress) }
            if isReady { return }
            if ended { throw TorError.exited(lastProblems: log.withLock { $0.problems }) }
            let now = ContinuousClock.now
            if now >= deadline { throw TorError.timedOut(reached: bootstrap) }
            try await Task.sleep(until: min(now + .milliseconds(50), deadline), clock: .continuous)
        }
    }

    /// Reads tor's output until it closes, recording each line in `log`.
    /// Reading on after bootstrap matters too: tor would block on a full pipe.
    private static func read(_ output: Int32, into log: Locked<Log>) {
        defer {
            close(output)
            log.withLock { $0.ended = true }
        }
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(output, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            pending.append(contentsOf: buffer[..<count])
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = TorLogLine(String(decoding: pending[..<newline], as: UTF8.self))
                pending.removeSubrange(...newline)
                log.withLock { $0.record(line) }
            }
            // Tor's lines are short; a program that never ends one does not get to grow this.
            if pending.count > 16_384 { pending.removeAll() }
        }
    }

    /// posix_spawn, so that the child starts with exactly what it needs:
    /// stdin from /dev/null, stdout and stderr into our pipe, no other
    /// descriptor of ours, default signal handling and an empty signal mask
    /// (whatever the tool set for itself), an empty environment, and its own
    /// process group, so that Ctrl-C reaches the tool alone and the tool
    /// stops tor in order (and removes its folder) rather than racing it.
    private static func spawn(_ path: String, _ arguments: [String], output: Int32, pid: inout pid_t) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        tipline_spawn_close_from(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environment: [UnsafeMutablePointer<CChar>?] = [nil]
        return posix_spawn(&pid, path, &actions, &attributes, argv, environment)
    }

    /// Waits for `pid` to exit, polling, for at most `limit`; true once it is reaped.
    private static func reap(_ pid: pid_t, within limit: Duration) -> Bool {
        let deadline = ContinuousClock.now + limit
        var status: Int32 = 0
        repeat {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) { return true }
            usleep(5_000)
        } while ContinuousClock.now < deadline
        return false
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & mode_t(S_IFMT)) == mode_t(S_IFREG) && access(path, X_OK) == 0
    }

    private static func removeDirectory(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
