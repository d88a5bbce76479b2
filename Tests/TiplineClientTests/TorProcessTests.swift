import Foundation
import Glibc
import Testing
import TiplineClient
import TiplineCommandLine
import TiplineLocking

/// A private Tor, with Debian's real `tor`. The test machines have no
/// network, so tor never finishes bootstrapping: these cover the start, the
/// SOCKS port, real progress lines, the deadline, and the cleanup.
@Suite(.serialized) struct TorProcessTests {
    /// The real tor (scripts/install-deps installs it).
    static func torProgram() throws -> String {
        try #require(TorProcess.onPath(ProcessInfo.processInfo.environment["PATH"])
                         ?? (TorProcess.onPath("/usr/sbin:/usr/bin")), "no tor installed: run scripts/install-deps")
    }

    /// A fresh folder to stand in for $TMPDIR, so that what tor leaves there can be seen.
    static func temporaryRoot() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/tor-test-XXXXXX").utf8CString)
        try #require(mkdtemp(&template) != nil)
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    static func isGone(_ pid: pid_t) -> Bool { kill(pid, 0) == -1 && errno == ESRCH }

    @Test func startsListensReportsProgressTimesOutAndCleansUp() async throws {
        let root = try Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let tor = try TorProcess.start(executable: try Self.torProgram(), temporaryDirectory: root)

        // Its own folder under the one given, private, as tor requires.
        #expect(tor.dataDirectory.hasPrefix(root + "/tip-tor-"))
        let mode = try FileManager.default.attributesOfItem(atPath: tor.dataDirectory)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        let port = try await tor.waitUntilListening(until: .now + .seconds(20))
        // No torrc of anyone's, and no control port. Read once tor listens:
        // just after the spawn, /proc may still show the child before exec.
        let arguments = try String(contentsOfFile: "/proc/\(tor.pid)/cmdline", encoding: .utf8).split(separator: "\0").map(String.init)
        #expect(arguments.contains("--ignore-missing-torrc"))
        #expect(zip(arguments, arguments.dropFirst()).contains { $0 == ("--ControlPort", "0") })
        #expect(zip(arguments, arguments.dropFirst()).contains { $0 == ("-f", "/dev/null") })

        #expect(tor.socksPort == port)
        #expect(try Self.socksGreeting(port: port) == [5, 0], "port \(port) is not a SOCKS5 server")

        let seen = Locked<[TorBootstrap]>([])
        let started = ContinuousClock.now
        await #expect(throws: TorError.self) {
            try await tor.waitUntilBootstrapped(until: .now + .seconds(2)) { step in seen.withLock { $0.append(step) } }
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        let steps = seen.withLock { $0 }
        #expect(!steps.isEmpty, "no progress line from tor")
        #expect(steps.first.map { $0.percent <= 5 } == true, "\(steps)")
        #expect(steps.map(\.percent) == steps.map(\.percent).sorted())
        #expect(!steps.contains { $0.isDone })
        do {
            try await tor.waitUntilBootstrapped(until: .now) { _ in }
            Issue.record("a past deadline did not time out")
        } catch let error as TorError {
            guard case .timedOut(let reached) = error else { Issue.record("\(error)"); return }
            #expect(reached != nil && reached!.percent >= (steps.last?.percent ?? 0))
        }

        #expect(tor.isRunning)
        tor.stop()
        #expect(Self.isGone(tor.pid))
        #expect(!tor.isRunning)
        #expect(!FileManager.default.fileExists(atPath: tor.dataDirectory))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
        tor.stop()
    }

    @Test func aProgramThatEndsAtOnceIsReportedAndCleanedUp() async throws {
        let root = try Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // A real program that is not tor: it exits with nothing to say.
        let tor = try TorProcess.start(executable: "/bin/false", temporaryDirectory: root)
        await #expect(throws: TorError.exited(lastProblems: [])) {
            _ = try await tor.waitUntilListening(until: .now + .seconds(10))
        }
        #expect(!tor.isRunning)
        tor.stop()
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
    }

    @Test func missingProgramOrFolderLeavesNothing() throws {
        let root = try Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(throws: TorError.notFound(path: root + "/no-tor")) {
            try TorProcess.start(executable: root + "/no-tor", temporaryDirectory: root)
        }
        #expect(throws: TorError.notFound(path: root)) {
            try TorProcess.start(executable: root, temporaryDirectory: root)
        }
        #expect(throws: TorError.noDataDirectory(under: root + "/missing", errno: ENOENT)) {
            try TorProcess.start(executable: try Self.torProgram(), temporaryDirectory: root + "/missing")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
    }

    @Test func torIsLookedForInAbsoluteFoldersOfPATHOnly() throws {
        let program = try Self.torProgram()
        let folder = URL(fileURLWithPath: program).deletingLastPathComponent().path
        #expect(TorProcess.onPath("/nonexistent:\(folder)") == folder + "/tor")
        #expect(TorProcess.onPath("/nonexistent") == nil)
        #expect(TorProcess.onPath(nil) == nil)
        // The same folder named relative to where the tool was started: a
        // folder the user happens to stand in, never searched.
        let here = FileManager.default.currentDirectoryPath.split(separator: "/").count
        let relative = String(repeating: "../", count: here) + folder.dropFirst()
        #expect(FileManager.default.isExecutableFile(atPath: relative + "/tor"))
        #expect(TorProcess.onPath(relative) == nil)
        #expect(TorProcess.onPath(":" + relative + ":") == nil)
    }

    @Test func onlyFoldersOfToolsThatDiedAreSweptAway() async throws {
        let root = try Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = FileManager.default
        let hourAgo = Date().addingTimeInterval(-3600)
        func folder(_ name: String, lock: Bool, old: Bool) throws -> String {
            let path = root + "/" + name
            try files.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            if lock { _ = files.createFile(atPath: path + "/lock", contents: nil) }
            _ = files.createFile(atPath: path + "/state", contents: Data("TorVersion Tor 0.4.9.11\n".utf8))
            if old { try files.setAttributes([.modificationDate: hourAgo], ofItemAtPath: path) }
            return path
        }
        // Left by a tool killed with kill -9: tor exited, its lock is free.
        let killed = try folder("tip-tor-AAAAAA", lock: true, old: true)
        // Killed before tor took its lock.
        let unlocked = try folder("tip-tor-BBBBBB", lock: false, old: true)
        // Another tool's, being set up this very moment.
        let young = try folder("tip-tor-CCCCCC", lock: false, old: false)
        // Not ours.
        let other = try folder("tip-tor-notours", lock: false, old: true)
        // A running tor's, made to look old: only its lock protects it.
        let tor = try TorProcess.start(executable: try Self.torProgram(), temporaryDirectory: root)
        defer { tor.stop() }
        let deadline = ContinuousClock.now + .seconds(20)
        while !files.fileExists(atPath: tor.dataDirectory + "/state"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try files.setAttributes([.modificationDate: hourAgo], ofItemAtPath: tor.dataDirectory)

        #expect(TorProcess.removeAbandoned(under: root) == 2)
        #expect(!files.fileExists(atPath: killed))
        #expect(!files.fileExists(atPath: unlocked))
        #expect(files.fileExists(atPath: young))
        #expect(files.fileExists(atPath: other))
        #expect(files.fileExists(atPath: tor.dataDirectory + "/lock"))
        #expect(tor.isRunning)
    }

    @Test func exitCleanupStopsTorOnceAndForAll() async throws {
        let root = try Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let program = try Self.torProgram()
        let tor = try ExitCleanup.register({ try TorProcess.start(executable: program, temporaryDirectory: root) },
                                           cleanup: { $0.stop() })
        _ = try await tor.waitUntilListening(until: .now + .seconds(20))
        ExitCleanup.run()
        #expect(Self.isGone(tor.pid))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
        ExitCleanup.run()
    }

    /// A SOCKS5 greeting offering "no authentication"; the two-byte answer.
    static func socksGreeting(port: Int) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let greeting: [UInt8] = [5, 1, 0]
        _ = write(fd, greeting, greeting.count)
        var answer = [UInt8](repeating: 0, count: 2)
        let count = read(fd, &answer, 2)
        return Array(answer.prefix(max(count, 0)))
    }
}
