import Foundation
import SwiftProtobuf
import Testing
@testable import TiplineRPC

/// Issue 12 item 4: every client call has a deadline, so a server that
/// never answers, or answers forever, cannot hold a client.
@Suite struct ClientDeadlineTests {
    static var quick: ClientConfiguration {
        var configuration = ClientConfiguration()
        configuration.unaryTimeout = .milliseconds(300)
        configuration.streamTimeout = .milliseconds(300)
        return configuration
    }

    @Test func aCallWithoutItsOwnDeadlineGetsTheDefault() async throws {
        let server = try await TestService().start()
        let client = try await RPCClient.connect(host: "127.0.0.1", port: server.port, configuration: Self.quick)
        let started = ContinuousClock.now
        let unary = await #expect(throws: RPCError.self) {
            _ = try await client.unary(TestService.sleep, Google_Protobuf_UInt64Value(60_000), as: Google_Protobuf_Empty.self)
        }
        #expect(unary?.status == .deadlineExceeded)
        let streaming = await #expect(throws: RPCError.self) {
            _ = try await client.clientStreaming(TestService.hold, requests: AsyncStreamOf([Google_Protobuf_BytesValue(Data([1]))]),
                                                 as: Google_Protobuf_UInt64Value.self)
        }
        #expect(streaming?.status == .deadlineExceeded)
        #expect(ContinuousClock.now - started < .seconds(5))
        // The defaults themselves are finite.
        #expect(ClientConfiguration().unaryTimeout == .seconds(120))
        #expect(ClientConfiguration().streamTimeout == .seconds(7200))
        await client.close()
        await server.shutdown()
    }

    @Test func aServerThatNeverSpeaksCannotHoldACall() async throws {
        let listener = try await NIOSilentListener.start()
        let started = ContinuousClock.now
        do {
            let client = try await RPCClient.connect(host: "127.0.0.1", port: listener.port, configuration: Self.quick)
            let error = await #expect(throws: RPCError.self) {
                _ = try await client.unary(TestService.echo, Google_Protobuf_UInt64Value(1), as: Google_Protobuf_UInt64Value.self)
            }
            #expect(error?.status == .deadlineExceeded || error?.status == .unavailable)
            await client.close()
        } catch {
            // Refusing to connect without a preface is an answer too.
        }
        #expect(ContinuousClock.now - started < .seconds(35))
        await listener.close()
    }
}
