import SwiftProtobuf
import TiplineLocking
import TiplineRPC

/// The small method table the fuzzed connection serves: one method of each
/// kind, one that fails, and one that only ends when it is cancelled. Paths
/// are short so that mutations of the seeds keep hitting them.
final class FuzzService: Sendable {
    static let unary = "/f.S/U"
    static let clientStreaming = "/f.S/C"
    static let serverStreaming = "/f.S/S"
    static let failing = "/f.S/E"
    static let waiting = "/f.S/W"

    /// Bodies of the methods that end by themselves, running now, so the
    /// harness can let them finish before it closes the connection. (A call
    /// whose task has not reached its body yet is not counted.)
    let busy = Locked(0)

    func methods() -> MethodTable {
        var table = MethodTable()
        table.register(Self.unary, .unary(Google_Protobuf_BytesValue.self, Google_Protobuf_BytesValue.self) { request, _ in
            try await self.tracked { request }
        })
        table.register(Self.clientStreaming, .clientStreaming(Google_Protobuf_BytesValue.self, Google_Protobuf_UInt64Value.self) { requests, _ in
            try await self.tracked {
                var total: UInt64 = 0
                for try await part in requests { total += UInt64(part.value.count) }
                return Google_Protobuf_UInt64Value(total)
            }
        })
        table.register(Self.serverStreaming, .serverStreaming(Google_Protobuf_UInt64Value.self, Google_Protobuf_UInt64Value.self) { request, writer, _ in
            try await self.tracked {
                for i in 0..<min(request.value, 8) { try await writer.write(Google_Protobuf_UInt64Value(i)) }
            }
        })
        table.register(Self.failing, .unary(Google_Protobuf_BytesValue.self, Google_Protobuf_Empty.self) { request, _ in
            try await self.tracked {
                // The request chooses the failure; its bytes become the message,
                // so the fuzzer controls what the CALL_END carries.
                let message = String(decoding: request.value, as: UTF8.self)
                if request.value.first.map({ $0 & 1 == 0 }) ?? true {
                    throw RPCError(.failedPrecondition, message)
                }
                throw FuzzHandlerError()
            }
        })
        table.register(Self.waiting, .clientStreaming(Google_Protobuf_BytesValue.self, Google_Protobuf_Empty.self) { _, _ in
            // Never reads its requests (they pile up against the buffer limit)
            // and ends only when the call is cancelled, times out or the
            // connection closes.
            try await Task.sleep(for: .seconds(3600))
            return Google_Protobuf_Empty()
        })
        return table
    }

    private func tracked<T>(_ body: () async throws -> T) async throws -> T {
        busy.withLock { $0 += 1 }
        defer { busy.withLock { $0 -= 1 } }
        return try await body()
    }
}
