import Foundation
import SwiftProtobuf
import Testing
@testable import TiplineRPC

/// Issue 14 item 5: a client streaming requests to a server that takes
/// nothing (a handler fallen behind, a slow disk, a slow network) waits for
/// the socket instead of queueing the rest of its stream in memory. The old
/// client wrote every message the moment it was made, so `tip submit` held
/// the whole encrypted file: over 1 GiB resident for a 1 GiB attachment.
@Suite struct ClientBackpressureTests {
    static let mib = 1 << 20

    @Test func aSenderWaitsWhileTheServerTakesNothing() async throws {
        let server = try await TestService().start()
        let client = try await RPCClient.connect(host: "127.0.0.1", port: server.port)
        // 192 MiB in 1 MiB messages to a handler that never reads them.
        let requests = CountingRequests(count: 192, size: Self.mib)
        let call = Task {
            try await client.clientStreaming(TestService.hold, requests: requests, as: Google_Protobuf_UInt64Value.self)
        }
        let pulled = await Self.settled { requests.pulled }
        // What may be in flight: the server's buffer for the call (it stops
        // reading at about one frame's worth), both sockets' kernel buffers
        // (up to 32 MiB + 4 MiB on this machine's loopback), the one message
        // held back to carry END_STREAM and the one being written. The old
        // client pulled all 192.
        #expect(pulled < 96, "the client made \(pulled) MiB of requests for a server that took none")
        print("client backpressure: \(pulled) of 192 MiB of requests made while the server took none")
        // The waiting sender is released by cancellation, not left hanging.
        call.cancel()
        let error = await #expect(throws: RPCError.self) { try await call.value }
        #expect(error?.status == .cancelled)
        await client.close()
        await server.shutdown()
    }

    @Test func aWaitingSenderLearnsWhyTheServerEndedTheCall() async throws {
        var limits = RPCLimits()
        limits.progressTimeout = .seconds(1)
        let server = try await TestService().start(limits: limits)
        let client = try await RPCClient.connect(host: "127.0.0.1", port: server.port)
        let requests = CountingRequests(count: 192, size: Self.mib)
        // The server ends the stalled call (DEADLINE_EXCEEDED after its
        // progress timeout); the sender waiting on the socket gets that status.
        let error = await #expect(throws: RPCError.self) {
            _ = try await client.clientStreaming(TestService.hold, requests: requests, as: Google_Protobuf_UInt64Value.self)
        }
        #expect(error?.status == .deadlineExceeded)
        #expect(requests.pulled < 192)
        await client.close()
        await server.shutdown()
    }

    /// Polls `value` until it has not changed for half a second (at most
    /// ten seconds), and returns it.
    static func settled(_ value: @Sendable () -> Int) async -> Int {
        var last = value()
        var stableSince = ContinuousClock.now
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
            let now = value()
            if now != last {
                last = now
                stableSince = ContinuousClock.now
            } else if ContinuousClock.now - stableSince >= .milliseconds(500) {
                break
            }
        }
        return last
    }
}
