import Foundation
import NIOCore
import NIOEmbedded
import NIOPosix
import SwiftProtobuf
import Testing
import TiplineTestSupport
@testable import TiplineRPC

/// The client through a SOCKS5 proxy, as tipsters reach the server through
/// Tor: a real server on 127.0.0.1 port 0 behind ``TestSOCKSProxy``, which
/// records how the client named the server.
@Suite struct SOCKSProxyTests {
    static let onion = "tipline-test.onion"
    /// The port the client asks the proxy for: deliberately not the server's
    /// real one, which only the proxy's mapping knows.
    static let onionPort = 4242

    static func configuration(proxyPort: Int, connectTimeout: TimeAmount = .seconds(10)) -> ClientConfiguration {
        var configuration = ClientConfiguration()
        configuration.proxy = SOCKSProxy(host: "127.0.0.1", port: proxyPort)
        configuration.connectTimeout = connectTimeout
        return configuration
    }

    /// A proxy that sends `tipline-test.onion` to `server`, and refuses any other name.
    static func proxy(to server: RPCServer, fault: SOCKSProxyFault? = nil) async throws -> TestSOCKSProxy {
        let port = server.port
        return try await TestSOCKSProxy.start(fault: fault) { name in
            name == onion || name == "127.0.0.1" ? ("127.0.0.1", port) : nil
        }
    }

    /// Connecting must fail with UNAVAILABLE, say that the proxy failed,
    /// and never name the server.
    static func expectProxyFailure(host: String = onion, port: Int = onionPort, tls: ClientTLS? = nil,
                                   _ configuration: ClientConfiguration, saying words: String) async -> Duration {
        let clock = ContinuousClock()
        let started = clock.now
        let error = await #expect(throws: RPCError.self) {
            let client = try await RPCClient.connect(host: host, port: port, tls: tls, configuration: configuration)
            await client.close()
        }
        #expect(error?.status == .unavailable)
        #expect(error?.message.contains("proxy") == true, "\(String(describing: error))")
        #expect(error?.message.contains(words) == true, "\(String(describing: error))")
        #expect(error?.message.contains(host) == false)
        return clock.now - started
    }

    // MARK: Through the proxy

    @Test func unaryCallToAnOnionNameGoesUnresolvedThroughTheProxy() async throws {
        let server = try await TestService().start()
        let proxy = try await Self.proxy(to: server)
        let client = try await RPCClient.connect(host: Self.onion, port: Self.onionPort,
                                                 configuration: Self.configuration(proxyPort: proxy.port))
        let reply = try await client.unary(TestService.echo, Google_Protobuf_UInt64Value(42), as: Google_Protobuf_UInt64Value.self)
        #expect(reply.value == 42)
        // Enough bytes both ways to cross several reads in the tunnel.
        var seen: [UInt64] = []
        for try await item in try await client.serverStreaming(TestService.count, Google_Protobuf_UInt64Value(500),
                                                                as: Google_Protobuf_UInt64Value.self) {
            seen.append(item.value)
        }
        #expect(seen == Array(0..<500))
        #expect(proxy.requests == [SOCKSTarget(kind: .domain, host: Self.onion, port: Self.onionPort)])
        // The preface and the first frames waited for the proxy's reply.
        #expect(proxy.bytesBeforeReply == 0)
        await client.close()
        await proxy.stop()
        await server.shutdown()
    }

    @Test func anIPAddressGoesAsAnAddress() async throws {
        let server = try await TestService().start()
        let proxy = try await Self.proxy(to: server)
        let client = try await RPCClient.connect(host: "127.0.0.1", port: server.port,
                                                 configuration: Self.configuration(proxyPort: proxy.port))
        let reply = try await client.unary(TestService.echo, Google_Protobuf_UInt64Value(9), as: Google_Protobuf_UInt64Value.self)
        #expect(reply.value == 9)
        #expect(proxy.requests == [SOCKSTarget(kind: .ipv4, host: "127.0.0.1", port: server.port)])
        await client.close()
        await proxy.stop()
        await server.shutdown()
    }

    @Test func tlsRunsInsideTheTunnel() async throws {
        let cert = try TLSTests.makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: cert.directory) }
        let server = try await TestService().start(tls: ServerTLS(certificateChainFile: cert.certificate, privateKeyFile: cert.key))
        let proxy = try await Self.proxy(to: server)
        let client = try await RPCClient.connect(host: Self.onion, port: Self.onionPort,
                                                 tls: .pinning(certificateFile: cert.certificate),
                                                 configuration: Self.configuration(proxyPort: proxy.port))
        let reply = try await client.unary(TestService.echo, Google_Protobuf_UInt64Value(7), as: Google_Protobuf_UInt64Value.self)
        #expect(reply.value == 7)
        #expect(proxy.requests == [SOCKSTarget(kind: .domain, host: Self.onion, port: Self.onionPort)])
        #expect(proxy.bytesBeforeReply == 0)
        await client.close()
        await proxy.stop()
        await server.shutdown()
    }

    @Test func theProxysOwnNameIsResolvedLocally() async throws {
        let server = try await TestService().start()
        let proxy = try await Self.proxy(to: server)
        var configuration = ClientConfiguration()
        configuration.proxy = try SOCKSProxy(url: "socks5h://localhost:\(proxy.port)")
        let client = try await RPCClient.connect(host: Self.onion, port: Self.onionPort, configuration: configuration)
        let reply = try await client.unary(TestService.echo, Google_Protobuf_UInt64Value(3), as: Google_Protobuf_UInt64Value.self)
        #expect(reply.value == 3)
        #expect(proxy.requests == [SOCKSTarget(kind: .domain, host: Self.onion, port: Self.onionPort)])
        await client.close()
        await proxy.stop()
        await server.shutdown()
    }

    /// The byte order on the wire, one step at a time: only the SOCKS
    /// greeting and request go out until the proxy's success reply; then the
    /// preface, and after it a call started while the handshake was running.
    @Test func prefaceAndFramesWaitForTheTunnel() throws {
        let channel = EmbeddedChannel()
        let route = ProxyRoute(target: try SOCKSProxy.target(host: Self.onion, port: Self.onionPort))
        try RPCClient.addHandlers(to: channel, tls: nil, proxy: route, configuration: ClientConfiguration())
        let handshake = try #require(route.handshake(of: channel))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9050)).wait()
        let handler = try channel.pipeline.syncOperations.handler(type: ClientConnectionHandler.self)
        let call = try handler.open(CallStart(method: TestService.echo, timeoutMilliseconds: 0, metadata: Metadata()),
                                    endStream: true)

        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(bytes: [5, 1, 0]))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)

        try channel.writeInbound(ByteBuffer(bytes: [5, 0]))
        var request = ByteBuffer(bytes: [5, 1, 0, 3, UInt8(Self.onion.utf8.count)])
        request.writeString(Self.onion)
        request.writeInteger(UInt16(Self.onionPort))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == request)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)

        try channel.writeInbound(ByteBuffer(bytes: [5, 0, 0, 1, 0, 0, 0, 0, 0, 0]))
        try handshake.wait()
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(bytes: ConnectionPreface.bytes))
        var frame = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(frame.readInteger(as: UInt32.self) != nil)
        #expect(frame.readInteger(as: UInt8.self) == FrameType.callStart.rawValue)
        #expect(call.0 == 1)
        _ = try? channel.finish()
    }

    // MARK: Failing proxies

    @Test func aRefusedConnectIsUnavailableAtOnce() async throws {
        let proxy = try await TestSOCKSProxy.start { _ in nil }
        let elapsed = await Self.expectProxyFailure(Self.configuration(proxyPort: proxy.port), saying: "host unreachable")
        #expect(elapsed < .seconds(5))
        #expect(proxy.requests == [SOCKSTarget(kind: .domain, host: Self.onion, port: Self.onionPort)])
        await proxy.stop()
    }

    @Test func aRefusedConnectWithTLSIsUnavailable() async throws {
        let cert = try TLSTests.makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: cert.directory) }
        let proxy = try await TestSOCKSProxy.start { _ in nil }
        _ = await Self.expectProxyFailure(tls: try .pinning(certificateFile: cert.certificate),
                                          Self.configuration(proxyPort: proxy.port), saying: "host unreachable")
        await proxy.stop()
    }

    @Test func nothingListeningOnTheProxyPortIsUnavailable() async throws {
        // A port that was just free: bound, read, released.
        let listener = try await NIOSilentListener.start()
        let port = listener.port
        await listener.close()
        let elapsed = await Self.expectProxyFailure(Self.configuration(proxyPort: port), saying: "could not connect")
        #expect(elapsed < .seconds(5))
    }

    @Test func aProxyThatNeverAnswersTimesOutWithinTheConnectTimeout() async throws {
        let proxy = try await TestSOCKSProxy.start(fault: .neverAnswers) { _ in nil }
        let elapsed = await Self.expectProxyFailure(Self.configuration(proxyPort: proxy.port, connectTimeout: .seconds(1)),
                                                    saying: "in time")
        #expect(elapsed >= .milliseconds(900))
        #expect(elapsed < .seconds(5))
        await proxy.stop()
    }

    @Test func aProxyThatHangsUpIsUnavailable() async throws {
        let proxy = try await TestSOCKSProxy.start(fault: .closesAfterGreeting) { _ in nil }
        _ = await Self.expectProxyFailure(Self.configuration(proxyPort: proxy.port), saying: "closed the connection")
        await proxy.stop()
    }

    @Test func aProxyThatAnswersGarbageIsUnavailable() async throws {
        let proxy = try await TestSOCKSProxy.start(fault: .answersGarbage) { _ in nil }
        _ = await Self.expectProxyFailure(Self.configuration(proxyPort: proxy.port), saying: "not SOCKS5")
        await proxy.stop()
    }

    @Test func aHostNameTooLongForSOCKSIsRefusedBeforeConnecting() async throws {
        let error = await #expect(throws: RPCError.self) {
            _ = try await RPCClient.connect(host: String(repeating: "a", count: 256) + ".onion", port: 443,
                                            configuration: Self.configuration(proxyPort: 9))
        }
        #expect(error?.status == .invalidArgument)
    }

    // MARK: Proxy URLs

    @Test(arguments: [
        ("socks5://127.0.0.1:9050", SOCKSProxy(host: "127.0.0.1", port: 9050)),
        ("socks5h://localhost:9150", SOCKSProxy(host: "localhost", port: 9150)),
        ("SOCKS5H://tor-proxy.internal:1080/", SOCKSProxy(host: "tor-proxy.internal", port: 1080)),
        ("socks5h://[::1]:9050", SOCKSProxy(host: "::1", port: 9050)),
        ("socks5://[2001:db8::7]:65535", SOCKSProxy(host: "2001:db8::7", port: 65535)),
    ])
    func acceptedProxyURL(url: String, expected: SOCKSProxy) throws {
        #expect(try SOCKSProxy(url: url) == expected)
    }

    @Test(arguments: [
        ("127.0.0.1:9050", SOCKSProxyURLError.missingScheme),
        ("http://127.0.0.1:8080", .unsupportedScheme("http")),
        ("socks4://127.0.0.1:9050", .unsupportedScheme("socks4")),
        ("socks5h://", .missingHost),
        ("socks5h://:9050", .missingHost),
        ("socks5h://127.0.0.1", .missingPort),
        ("socks5h://127.0.0.1:", .missingPort),
        ("socks5h://[::1]", .missingPort),
        ("socks5h://127.0.0.1:0", .invalidPort("0")),
        ("socks5h://127.0.0.1:65536", .invalidPort("65536")),
        ("socks5h://127.0.0.1:-1", .invalidPort("-1")),
        ("socks5h://127.0.0.1:90x", .invalidPort("90x")),
        ("socks5h://::1:9050", .invalidHost("::1")),
        ("socks5h://[127.0.0.1]:9050", .invalidHost("127.0.0.1")),
        ("socks5h://[::1:9050", .invalidHost("[::1:9050")),
        ("socks5h://bad host:9050", .invalidHost("bad host")),
        ("socks5h://user:secret@127.0.0.1:9050", .credentialsNotSupported),
        ("socks5h://127.0.0.1:9050/tor", .unexpectedSuffix("/tor")),
        ("socks5h://127.0.0.1:9050?x=1", .unexpectedSuffix("?x=1")),
    ])
    func rejectedProxyURL(url: String, expected: SOCKSProxyURLError) {
        #expect(throws: expected) { try SOCKSProxy(url: url) }
    }

    @Test func proxyDescriptionBracketsIPv6() throws {
        #expect(try SOCKSProxy(url: "socks5://[::1]:9050").description == "socks5h://[::1]:9050")
        #expect(SOCKSProxy(host: "127.0.0.1", port: 9050).description == "socks5h://127.0.0.1:9050")
    }
}
