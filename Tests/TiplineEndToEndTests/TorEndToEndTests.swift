import Foundation
import Glibc
import Testing
import TiplineCrypto

/// `tip --tor` and the `.onion` default, with Debian's real `tor`. The test
/// machines have no network, so tor never finishes bootstrapping: these
/// cover the progress shown, the timeout's message, the usage errors, and
/// that neither an exit nor a signal leaves tor or its folder behind.
@Suite(.serialized) struct TorEndToEndTests {
    static let onion = "tiplinetestaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.onion:7040"
    static let fingerprint = Fingerprint(publicKeyMaterial: [UInt8](repeating: 7, count: 32)).description

    /// A device of its own: empty home and temp folders, and a `tip` that uses them.
    struct Device {
        let root: String
        var home: String { root + "/home" }
        var temp: String { root + "/tmp" }
        var tip: Tool

        init() throws {
            root = NSTemporaryDirectory() + "/tip-tor-e2e-" + UUID().uuidString
            tip = Tool(name: "tip")
            for folder in [home, temp] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            tip.environment = ["HOME": home, "TMPDIR": temp]
        }

        func tearDown() { try? FileManager.default.removeItem(atPath: root) }

        func tempContents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: temp) }

        /// Every process whose command line names a folder under this device's temp: its tor.
        func torProcesses() -> [pid_t] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap { entry -> pid_t? in
                guard let pid = pid_t(entry),
                      let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
                let arguments = String(decoding: data, as: UTF8.self).split(separator: "\0")
                return arguments.contains { $0.hasPrefix(temp + "/tip-tor-") } ? pid : nil
            }
        }
    }

    static func submit(_ extra: [String] = []) -> [String] {
        ["submit", "--server", onion, "--org", fingerprint, "--message", "no network here"] + extra
    }

    @Test func anOnionServerStartsTorByDefault() throws {
        let device = try Device()
        defer { device.tearDown() }
        // No tor on PATH: the message says that a .onion needs Tor, which proves tip went for it unasked.
        let result = try device.tip.run(Self.submit(), extraEnvironment: ["PATH": device.root])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("a .onion server can be reached only through Tor"), "\(result.stderr)")
        #expect(result.stderr.contains("apt install tor"))
        #expect(!result.stderr.contains("directly"), "warned of a direct connection: \(result.stderr)")
        let asked = try device.tip.run(Self.submit(["--tor"]), extraEnvironment: ["PATH": device.root])
        #expect(asked.status == 3)
        #expect(asked.stderr.contains("--tor: the tor program is not installed"), "\(asked.stderr)")
        let wrongPath = try device.tip.run(Self.submit(["--tor-path", device.root + "/tor"]))
        #expect(wrongPath.status == 3)
        #expect(wrongPath.stderr.contains("--tor-path: \(device.root)/tor is not a program"), "\(wrongPath.stderr)")
        #expect(try device.tempContents().isEmpty)
    }

    @Test func aTimeoutIsOneClearLineAndLeavesNothing() throws {
        let device = try Device()
        defer { device.tearDown() }
        let started = Date()
        let result = try device.tip.run(Self.submit(["--tor-timeout", "2"]), timeout: 30)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(result.status == 3, "\(result.stderr)")
        // One line; "it got to N%" comes from tor's own progress lines.
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("tip: Tor did not connect within 2 seconds (it got to "), "\(result.stderr)")
        #expect(result.stderr.contains("--tor-timeout 4"))
        #expect(result.stdout.isEmpty)
        #expect(device.torProcesses().isEmpty)
        #expect(try device.tempContents().isEmpty)
    }

    @Test func progressIsShownAtATerminal() throws {
        let device = try Device()
        defer { device.tearDown() }
        let terminal = try PseudoTerminal(device.tip, Self.submit(["--tor-timeout", "3"]))
        try terminal.expect("Tor did not connect within 3 seconds", timeout: 20)
        #expect(terminal.wait() == 3)
        let bar = try #require(terminal.screen.firstMatch(of: /Connecting to Tor…\s+\[[#-]{20}\] (\d+)%/), "\(terminal.screen)")
        #expect(Int(bar.1)! < 100)
        // The bar never claims done, and the message starts a line of its own.
        #expect(!terminal.screen.contains("100%"))
        #expect(terminal.screen.contains("%\r\ntip: Tor did not connect") || terminal.screen.contains("%\ntip: Tor did not connect"),
                "\(terminal.screen.debugDescription)")
        #expect(device.torProcesses().isEmpty)
        #expect(try device.tempContents().isEmpty)
    }

    @Test(arguments: [SIGTERM, SIGINT, SIGHUP]) func aSignalStopsTorAndRemovesItsFolder(signal: Int32) async throws {
        let device = try Device()
        defer { device.tearDown() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: device.tip.path)
        process.arguments = Self.submit(["--tor-timeout", "60"])
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TIPLINE_") }
        environment.merge(device.tip.environment) { $1 }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        // A signal this runner was started with ignored would be ignored in
        // tip too (an ignored signal survives exec), and tip rightly leaves
        // it so; the test is of a signal a user's shell would deliver.
        let previous = Glibc.signal(signal, SIG_DFL)
        try process.run()
        Glibc.signal(signal, previous)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        let deadline = Date().addingTimeInterval(15)
        var tor: [pid_t] = []
        while tor.isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
            tor = device.torProcesses()
        }
        try #require(tor.count == 1, "tor did not start")
        #expect(try device.tempContents().count == 1)
        // Tor is in a process group of its own: the signal reaches tip alone, and tip stops tor.
        #expect(getpgid(tor[0]) == tor[0])

        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == signal)
        #expect(kill(tor[0], 0) == -1 && errno == ESRCH, "tor \(tor[0]) outlived tip")
        #expect(device.torProcesses().isEmpty)
        #expect(try device.tempContents().isEmpty)
    }

    @Test func torWithProxyIsAUsageError() throws {
        let device = try Device()
        defer { device.tearDown() }
        for tor in [["--tor"], ["--tor-path", "/usr/sbin/tor"], ["--tor-timeout", "5"]] {
            let result = try device.tip.run(Self.submit(tor + ["--proxy", "socks5://127.0.0.1:9050"]))
            #expect(result.status == 2, "\(tor)")
            #expect(result.stderr.contains("Give --tor or --proxy, not both"), "\(result.stderr)")
        }
        let tipline = try Tool(name: "tipline").run(["inbox", "--server", Self.onion, "--key", "none.key", "--org", Self.fingerprint,
                                                     "--tor", "--proxy", "socks5://127.0.0.1:9050"])
        #expect(tipline.status == 2)
        #expect(tipline.stderr.contains("Give --tor or --proxy, not both"), "\(tipline.stderr)")
        let zero = try device.tip.run(Self.submit(["--tor-timeout", "0"]))
        #expect(zero.status == 2)
        #expect(zero.stderr.contains("--tor-timeout must be from 1 to 3600 seconds"), "\(zero.stderr)")
        // --tor wins over a proxy from the environment (the command line over the environment).
        let environment = try device.tip.run(Self.submit(["--tor"]), extraEnvironment: ["TIPLINE_PROXY": "socks5://127.0.0.1:9", "PATH": device.root])
        #expect(environment.status == 3)
        #expect(environment.stderr.contains("--tor: the tor program is not installed"), "\(environment.stderr)")
        #expect(try device.tempContents().isEmpty)
    }
}
