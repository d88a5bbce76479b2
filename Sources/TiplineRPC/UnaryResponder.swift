import NIOCore
import SwiftProtobuf

/// How a callback handler (``RPCHandler/unaryCallback(_:_:_:)``) answers its
/// call: once, from any thread. Answering twice is ignored by the
/// connection; never answering leaves the call to its deadline or the
/// client's cancellation.
public struct UnaryResponder<Response: SwiftProtobuf.Message>: Sendable {
    let respond: @Sendable (Result<ByteBuffer?, any Error>) -> Void

    /// Ends the call with OK and `response`.
    public func succeed(_ response: Response) {
        do {
            respond(.success(ByteBuffer(bytes: try response.serializedBytes() as [UInt8])))
        } catch {
            respond(.failure(error))
        }
    }

    /// Ends the call with `error`'s status if it is an ``RPCError``, and
    /// INTERNAL (with no detail) otherwise.
    public func fail(_ error: any Error) {
        respond(.failure(error))
    }

    /// `succeed` or `fail`, from a result.
    public func complete(_ result: Result<Response, any Error>) {
        switch result {
        case .success(let response): succeed(response)
        case .failure(let error): fail(error)
        }
    }
}
