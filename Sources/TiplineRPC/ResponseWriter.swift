import NIOCore
import SwiftProtobuf

/// Sends the response messages of a server-streaming call. Each `write`
/// returns once the message is handed to the socket, so a slow reader slows
/// the handler instead of growing a buffer.
public struct ResponseWriter<Message: SwiftProtobuf.Message>: Sendable {
    let send: @Sendable (ByteBuffer) async throws -> Void

    public func write(_ message: Message) async throws {
        let bytes: [UInt8] = try message.serializedBytes()
        try await send(ByteBuffer(bytes: bytes))
    }
}
