import Foundation
import NIOCore
import TiplineLocking
import SwiftProtobuf
import TiplineRPC

/// A real server on 127.0.0.1:0 with test methods built from protobuf's
/// well-known types, and a record of what its handlers did.
final class TestService: Sendable {
    static let echo = "/test.Echo/Unary"
    static let sleep = "/test.Echo/Sleep"
    static let collect = "/test.Echo/Collect"
    static let count = "/test.Echo/Count"
    /// Client-streaming, and never reads its requests: a handler that has
    /// fallen behind, so what the client sends stays in the server's buffer.
    static let hold = "/test.Echo/Hold"
    /// Client-streaming like `collect`, but it waits `delay-ms` before it
    /// reads its first request: a handler that falls behind for a while.
    static let slowCollect = "/test.Echo/SlowCollect"
    /// Server-streaming: `value` messages of 256 KiB each.
    static let blobs = "/test.Echo/Blobs"

    /// Handler events, so tests can see that cancellation really stopped work.
    let cancelledHandlers = Locked(0)
    let startedSleeps = Locked(0)
    let completedOrder = Locked<[UInt64]>([])

    func methods() -> MethodTable {
        var table = MethodTable()
        table.register(Self.echo, .unary(Google_Protobuf_UInt64Value.self, Google_Protobuf_UInt64Value.self) { request, context in
            // A delay chosen by the client makes answers come back out of order.
            if let delay = context.metadata["delay-ms"].flatMap({ UInt64(String(decoding: $0, as: UTF8.self)) }), delay > 0 {
                try await Task.sleep(for: .milliseconds(delay))
            }
            self.completedOrder.withLock { $0.append(request.value) }
            return Google_Protobuf_UInt64Value(request.value)
        })
        table.register(Self.sleep, .unary(Google_Protobuf_UInt64Value.self, Google_Protobuf_Empty.self) { request, _ in
            self.startedSleeps.withLock { $0 += 1 }
            do {
                try await Task.sleep(for: .milliseconds(request.value))
            } catch {
                self.cancelledHandlers.withLock { $0 += 1 }
                throw error
            }
            return Google_Protobuf_Empty()
        })
        table.register(Self.collect, .clientStreaming(Google_Protobuf_BytesValue.self, Google_Protobuf_UInt64Value.self) { requests, _ in
            var total: UInt64 = 0
            for try await part in requests { total += UInt64(part.value.count) }
            return Google_Protobuf_UInt64Value(total)
        })
        table.register(Self.slowCollect, .clientStreaming(Google_Protobuf_BytesValue.self, Google_Protobuf_UInt64Value.self) { requests, context in
            if let delay = context.metadata["delay-ms"].flatMap({ UInt64(String(decoding: $0, as: UTF8.self)) }) {
                try await Task.sleep(for: .milliseconds(delay))
            }
            var total: UInt64 = 0
            for try await part in requests { total += UInt64(part.value.count) }
            return Google_Protobuf_UInt64Value(total)
        })
        table.register(Self.count, .serverStreaming(Google_Protobuf_UInt64Value.self, Google_Protobuf_UInt64Value.self) { request, writer, _ in
            for i in 0..<request.value { try await writer.write(Google_Protobuf_UInt64Value(i)) }
        })
        table.register(Self.hold, .clientStreaming(Google_Protobuf_BytesValue.self, Google_Protobuf_UInt64Value.self) { _, _ in
            try await Task.sleep(for: .seconds(3600))
            return Google_Protobuf_UInt64Value(0)
        })
        table.register(Self.blobs, .serverStreaming(Google_Protobuf_UInt64Value.self, Google_Protobuf_BytesValue.self) { request, writer, _ in
            let blob = Google_Protobuf_BytesValue(Data(repeating: 0x5A, count: 256 * 1024))
            for _ in 0..<min(request.value, 10_000) { try await writer.write(blob) }
        })
        return table
    }

    func start(limits: RPCLimits = RPCLimits(), tls: ServerTLS? = nil) async throws -> RPCServer {
        try await RPCServer.start(host: "127.0.0.1", port: 0, methods: methods(), limits: limits, tls: tls)
    }
}
