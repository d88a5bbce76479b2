import Foundation
import Testing
import TiplineTestSupport

/// `tip` and `tipline` through a SOCKS5 proxy, as over Tor: the proxy must
/// be given the server's host name, never an address resolved locally (a
/// local lookup of an .onion name would fail, and would leak it to DNS).
@Suite(.serialized) struct ProxyEndToEndTests {
    @Test func tipAndInboxGoThroughTheProxyByName() async throws {
        let story = try StoryFixture(name: "proxy")
        defer { story.tearDown() }
        let port = story.server.port
        let onion = "tiplinexampleonionaddressxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion"
        let proxy = try await TestSOCKSProxy.start { host in host == onion ? ("127.0.0.1", port) : nil }
        let proxyURL = "socks5://127.0.0.1:\(proxy.port)"

        let submitted = try story.tip.json(["submit", "--server", "\(onion):\(port)", "--proxy", proxyURL, "--org", story.fingerprint,
                                            "--message", "sent over the proxy", "--json"]) as! [String: Any]
        #expect(submitted["codename"] is String)
        let inbox = try story.tipline.json(["inbox", "--server", "\(onion):\(port)", "--proxy", proxyURL, "--key", "alice.key",
                                            "--json"]) as! [[String: Any]]
        #expect(inbox.first?["what"] as? String == "sent over the proxy")

        let requests = proxy.requests
        #expect(!requests.isEmpty)
        #expect(requests.allSatisfy { $0.kind == .domain && $0.host == onion && $0.port == port }, "\(requests)")
        await proxy.stop()

        // A proxy that cannot reach the server: a clear error, exit 3.
        let dead = try await TestSOCKSProxy.start { _ in nil }
        let failed = try story.tip.run(["submit", "--server", "\(onion):\(port)", "--proxy", "socks5://127.0.0.1:\(dead.port)",
                                        "--org", story.fingerprint, "--message", "x"])
        #expect(failed.status == 3 && failed.stderr.contains("proxy"), "\(failed.stderr)")
        #expect(!failed.stderr.contains(onion))
        await dead.stop()
        // A malformed proxy URL is a usage error.
        let bad = try story.tip.run(["submit", "--server", "\(onion):\(port)", "--proxy", "http://127.0.0.1:1", "--org",
                                     story.fingerprint, "--message", "x"])
        #expect(bad.status == 2, "\(bad.stderr)")
    }
}
