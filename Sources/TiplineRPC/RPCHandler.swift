import NIOCore
import SwiftProtobuf

/// A type-erased handler: what the method table stores and the connection runs.
public struct RPCHandler: Sendable {
    typealias Producer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, BackpressureDelegate>
    /// A client-streaming call's request messages as they arrive, and the
    /// account their bytes are charged to until the handler takes them.
    struct Requests: Sendable {
        let sequence: Producer
        let account: BufferAccount
    }
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
