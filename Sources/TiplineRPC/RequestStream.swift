import NIOCore
import SwiftProtobuf

/// The request messages of a client-streaming call, decoded lazily as the
/// handler iterates. Reading slowly makes the server stop reading the socket
/// (backpressure) rather than buffer without bound.
public struct RequestStream<Message: SwiftProtobuf.Message>: AsyncSequence, Sendable {
    public typealias Element = Message
    let raw: RPCHandler.Requests

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: RPCHandler.Producer.AsyncIterator
        let account: BufferAccount

        public mutating func next() async throws -> Message? {
            guard let buffer = try await base.next() else { return nil }
            // Taken: the bytes no longer wait in the server's buffer.
            account.release(buffer.readableBytes)
            do {
                return try Message(serializedBytes: Array(buffer.readableBytesView))
            } catch {
                throw RPCError(.invalidArgument, "request message does not parse")
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: raw.sequence.makeAsyncIterator(), account: raw.account) }
}
