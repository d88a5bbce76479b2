import NIOCore
import SwiftProtobuf

/// A type-erased handler: what the method table stores and the connection runs.
public struct RPCHandler: Sendable {
    typealias Requests = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, BackpressureDelegate>
    /// Writes one response message of a server-streaming call.
    typealias Send = @Sendable (ByteBuffer) async throws -> Void

    /// How the connection feeds the call. Both return the call's single
    /// response message (unary and client-streaming), which the connection
    /// writes together with the call's end, or `nil` (server-streaming, whose
    /// messages went out through `send`). Returning normally means OK;
    /// throwing ends the call with the error's status.
    enum Body: Sendable {
        /// Unary and server-streaming: exactly one request. The connection
        /// collects it on the event loop and starts the handler once the
        /// request is complete, so these calls, the hot path, need no
        /// request stream, no backpressure machinery and no wait for the
        /// request inside the task.
        case single(@Sendable (_ request: ByteBuffer, _ send: @escaping Send, _ context: CallContext) async throws -> ByteBuffer?)
        /// Unary, answered from a callback instead of a task: see
        /// ``RPCHandler/unaryCallback(_:_:_:)``.
        case callback(@Sendable (_ request: ByteBuffer, _ context: CallContext,
                                 _ respond: @escaping @Sendable (Result<ByteBuffer?, any Error>) -> Void) -> Void)
        /// Client-streaming: the requests as they arrive, with backpressure.
        case stream(@Sendable (_ requests: Requests, _ context: CallContext) async throws -> ByteBuffer)
    }

    public let kind: RPCMethodKind
    let body: Body

    /// One request in, one response out.
    public static func unary<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request.Type, _ response: Response.Type,
        _ body: @escaping @Sendable (Request, CallContext) async throws -> Response
    ) -> RPCHandler {
        RPCHandler(kind: .unary, body: .single { buffer, _, context in
            let (message, bytes) = try decodeRequest(Request.self, buffer)
            var context = context
            context.requestBytes = bytes
            return try encodeResponse(try await body(message, context))
        })
    }

    /// One request in, one response out, without a task per call.
    ///
    /// `body` runs on the connection's event loop as soon as the request is
    /// complete, and must return at once: it hands the work to a thread of
    /// its own (never crypto or storage on the loop) and answers later
    /// through the responder, from any thread. This saves the two task
    /// switches an `async` handler costs per call (start, and resumption
    /// after any wait), which on the tip submission path cost more CPU than
    /// the handler's own work. The call's deadline and cancellation still
    /// end it for the client; a late answer is then dropped.
    public static func unaryCallback<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request.Type, _ response: Response.Type,
        _ body: @escaping @Sendable (Request, CallContext, UnaryResponder<Response>) -> Void
    ) -> RPCHandler {
        RPCHandler(kind: .unary, body: .callback { buffer, context, respond in
            let message: Request, bytes: [UInt8]
            do { (message, bytes) = try decodeRequest(Request.self, buffer) } catch {
                return respond(.failure(error))
            }
            var context = context
            context.requestBytes = bytes
            body(message, context, UnaryResponder(respond: respond))
        })
    }

    /// Many requests in, one response out.
    public static func clientStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request.Type, _ response: Response.Type,
        _ body: @escaping @Sendable (RequestStream<Request>, CallContext) async throws -> Response
    ) -> RPCHandler {
        RPCHandler(kind: .clientStreaming, body: .stream { requests, context in
            try encodeResponse(try await body(RequestStream(raw: requests), context))
        })
    }

    /// One request in, many responses out.
    public static func serverStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request.Type, _ response: Response.Type,
        _ body: @escaping @Sendable (Request, ResponseWriter<Response>, CallContext) async throws -> Void
    ) -> RPCHandler {
        RPCHandler(kind: .serverStreaming, body: .single { buffer, send, context in
            let (message, bytes) = try decodeRequest(Request.self, buffer)
            var context = context
            context.requestBytes = bytes
            try await body(message, ResponseWriter(send: send), context)
            return nil
        })
    }

    /// The request and its bytes as received, or INVALID_ARGUMENT.
    private static func decodeRequest<Request: SwiftProtobuf.Message>(_ type: Request.Type,
                                                                     _ buffer: ByteBuffer) throws -> (Request, [UInt8]) {
        let bytes = Array(buffer.readableBytesView)
        do {
            return (try Request(serializedBytes: bytes), bytes)
        } catch {
            throw RPCError(.invalidArgument, "request message does not parse")
        }
    }

    private static func encodeResponse<Response: SwiftProtobuf.Message>(_ response: Response) throws -> ByteBuffer {
        ByteBuffer(bytes: try response.serializedBytes() as [UInt8])
    }
}
