import Testing
import TiplineClient

/// The lines a private Tor is steered by, copied from Debian's tor 0.4.9.11
/// (and 0.3's older form): a misread one would show false progress, or
/// connect to a port that is not Tor's.
struct TorLogLineTests {
    @Test(arguments: [
        ("Dec 03 16:05:22.000 [notice] Bootstrapped 0% (starting): Starting", 0, "starting", "Starting"),
        ("Dec 03 16:05:23.000 [notice] Bootstrapped 5% (conn): Connecting to a relay", 5, "conn", "Connecting to a relay"),
        ("Dec 03 16:05:23.000 [notice] Bootstrapped 14% (handshake): Handshaking with a relay", 14, "handshake", "Handshaking with a relay"),
        ("Dec 03 16:09:41.000 [notice] Bootstrapped 45% (requesting_descriptors): Asking for relay descriptors",
         45, "requesting_descriptors", "Asking for relay descriptors"),
        ("Dec 03 16:09:52.000 [notice] Bootstrapped 100% (done): Done", 100, "done", "Done"),
    ])
    func bootstrapLines(line: String, percent: Int, tag: String, summary: String) {
        #expect(TorLogLine(line) == .bootstrap(TorBootstrap(percent: percent, tag: tag, summary: summary)))
        #expect(TorBootstrap(percent: percent, tag: tag, summary: summary).isDone == (percent == 100))
    }

    @Test func olderTorWroteNoTag() {
        #expect(TorLogLine("Jun 01 10:00:00.000 [notice] Bootstrapped 80%: Connecting to the Tor network")
                == .bootstrap(TorBootstrap(percent: 80, tag: nil, summary: "Connecting to the Tor network")))
    }

    @Test func theSOCKSPortIsReadFromTheOpenedLineOnly() {
        #expect(TorLogLine("Dec 03 16:05:22.590 [notice] Opened Socks listener connection (ready) on 127.0.0.1:34853")
                == .socksListener(port: 34853))
        #expect(TorLogLine("Jun 01 10:00:00.000 [notice] Opened Socks listener on 127.0.0.1:9050") == .socksListener(port: 9050))
        // Before the port is chosen, and the socket's own words: not the line to trust.
        #expect(TorLogLine("Dec 03 16:05:22.590 [notice] Opening Socks listener on 127.0.0.1:0") == .other)
        #expect(TorLogLine("Dec 03 16:05:22.590 [notice] Socks listener listening on port 34853.") == .other)
        #expect(TorLogLine("Dec 03 16:07:38.807 [notice] Closing partially-constructed Socks listener connection (ready) on 127.0.0.1:35281")
                == .other)
        #expect(TorLogLine("[notice] Opened Socks listener connection (ready) on 127.0.0.1:0") == .other)
        #expect(TorLogLine("[notice] Opened Socks listener connection (ready) on 127.0.0.1:65536") == .other)
        #expect(TorLogLine("[notice] Opened Socks listener connection (ready) on 127.0.0.1:99999999999999999999") == .other)
    }

    @Test func warningsAndErrorsAreKeptAsProblems() {
        #expect(TorLogLine("Dec 03 16:07:38.834 [warn] Failed to parse/validate config: Unknown option 'Bogus'.  Failing.")
                == .problem("Failed to parse/validate config: Unknown option 'Bogus'.  Failing."))
        #expect(TorLogLine("Dec 03 16:07:38.834 [err] Reading config failed--see warnings above.")
                == .problem("Reading config failed--see warnings above."))
        // Tor's own complaint that bootstrapping is stuck is a problem, not progress.
        #expect(TorLogLine("Dec 03 16:10:24.000 [warn] Problem bootstrapping. Stuck at 14% (handshake): Handshaking with a relay. "
                           + "(DONE; DONE; count 10; recommendation warn; host 0000 at 1.2.3.4:443)")
                == .problem("Problem bootstrapping. Stuck at 14% (handshake): Handshaking with a relay. "
                            + "(DONE; DONE; count 10; recommendation warn; host 0000 at 1.2.3.4:443)"))
    }

    @Test(arguments: [
        "Dec 03 16:05:22.572 [notice] Tor 0.4.9.11 running on Linux with Libevent 2.1.12-stable",
        "Dec 03 16:05:22.000 [notice] Starting with guard context \"default\"",
        // Progress words inside another message (a path, a quoted name) are not progress.
        "Dec 03 16:05:22.000 [notice] Read configuration file \"/home/x/Bootstrapped 100% (done): Done\"",
        "Bootstrapped 100% (done): Done",
        "Dec 03 16:05:22.000 [notice] Bootstrapped 101% (done): Done",
        "Dec 03 16:05:22.000 [notice] Bootstrapped -5% (conn): Connecting",
        "Dec 03 16:05:22.000 [notice] Bootstrapped 0100% (done): Done",
        "Dec 03 16:05:22.000 [notice] Bootstrapped 50 (conn): Connecting",
        "Dec 03 16:05:22.000 [notice] Bootstrapped 50% (conn Connecting",
        "Dec 03 16:05:22.000 [notice] Bootstrapped %: Connecting",
        "",
        "garbage without brackets",
    ])
    func otherLinesAreNothing(line: String) {
        #expect(TorLogLine(line) == .other, "\(line)")
    }
}
