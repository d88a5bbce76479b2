import NIOCore
import SwiftProtobuf

/// A type-erased handler: what the method table stores and the connection runs.
public struct RPCHandler: Sendable {
    public let kind: RPCMethodKind
    /// Runs the call. `requests` yields raw request messages; `send` writes one
    /// raw response message. Returns normally for OK; throws otherwise.
    let run: @Sendable (
        _ requests: NIOThrowingAsyncSequenceProducer<ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, BackpressureDelegate>,
        _ send: @escaping @Sendable (ByteBuffer) async throws -> Void,
        _ context: CallContext
    ) async throws -> Void

    /// One request in, one response out.
    public static func unary<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request.Type, _ response: Response.Type,
        _ body: @escaping @Sendable (Request, CallContext) async throws -> Response
    ) -> RPCHandler {
        RPCHandler(kind: .unary) { requests, send, context in
            let (message, bytes) = try await singleRequest(Request.self, from: requests)
            var context = context
            context.requestBytes = bytes
            let reply = try await body(message, context)
            try await send(ByteBuffer(bytes: try reply.serializedBytes() as [UInt8]))
        }
    }

    /// Many requests in, one response out.
    public static func clientStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request.Type, _ response: Response.Type,
        _ body: @escaping @Sendable (RequestStream<Request>, CallContext) async throws -> Response
    ) -> RPCHandler {
        RPCHandler(kind: .clientStreaming) { requests, send, context in
            let reply = try await body(RequestStream(raw: requests), context)
            try await send(ByteBuffer(bytes: try reply.serializedBytes() as [UInt8]))
        }
    }

    /// One request in, many responses out.
    public static func serverStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request.Type, _ response: Response.Type,
        _ body: @escaping @Sendable (Request, ResponseWriter<Response>, CallContext) async throws -> Void
    ) -> RPCHandler {
        RPCHandler(kind: .serverStreaming) { requests, send, context in
            let (message, bytes) = try await singleRequest(Request.self, from: requests)
            var context = context
            context.requestBytes = bytes
            try await body(message, ResponseWriter(send: send), context)
        }
    }

    /// Exactly one request message and its bytes, or INVALID_ARGUMENT.
    private static func singleRequest<Request: SwiftProtobuf.Message>(
        _ type: Request.Type,
        from requests: NIOThrowingAsyncSequenceProducer<ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, BackpressureDelegate>
    ) async throws -> (Request, [UInt8]) {
        let iterator = requests.makeAsyncIterator()
        guard let first = try await iterator.next() else {
            throw RPCError(.invalidArgument, "expected one request message, got none")
        }
        guard try await iterator.next() == nil else {
            throw RPCError(.invalidArgument, "expected one request message, got more")
        }
        let bytes = Array(first.readableBytesView)
        do {
            return (try Request(serializedBytes: bytes), bytes)
        } catch {
            throw RPCError(.invalidArgument, "request message does not parse")
        }
    }
}
