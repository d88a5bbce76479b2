import NIOCore
import SwiftProtobuf

/// The responses of a server-streaming call. It ends normally on OK and
/// throws ``RPCError`` for any other status. Dropping the stream before its
/// end does not cancel the call; call ``cancel()`` for that.
public struct ResponseStream<Message: SwiftProtobuf.Message>: AsyncSequence, Sendable {
    public typealias Element = Message
    let call: ClientCall

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: ClientConnectionHandler.Producer.AsyncIterator

        public mutating func next() async throws -> Message? {
            guard let buffer = try await RPCClient.mappingCancellation({ try await base.next() }) else { return nil }
            return try RPCClient.decode(Message.self, buffer)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: call.responses.makeAsyncIterator()) }

    /// Tells the server to stop, and ends the stream with CANCELLED.
    public func cancel() { call.cancel() }
}
