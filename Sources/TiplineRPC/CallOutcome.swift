import Logging
import NIOCore

/// How a handler's call ended: the call's end and, for a unary or
/// client-streaming call that succeeded, its one response message.
struct CallOutcome: Sendable {
    let end: CallEnd
    let response: ByteBuffer?

    /// Runs a handler's body and turns what it returned or threw into the
    /// call's end.
    static func settle(method: String, logger: Logger,
                       _ body: @Sendable () async throws -> ByteBuffer?) async -> CallOutcome {
        do {
            return CallOutcome(.success(try await body()), method: method, logger: logger)
        } catch {
            return CallOutcome(.failure(error), method: method, logger: logger)
        }
    }

    init(_ result: Result<ByteBuffer?, any Error>, method: String, logger: Logger) {
        switch result {
        case .success(let response):
            end = CallEnd(status: .ok)
            self.response = response
        case .failure(let error as RPCError):
            end = CallEnd(status: error.status, message: error.message)
            response = nil
        case .failure(is CancellationError):
            end = CallEnd(status: .cancelled, message: "call cancelled")
            response = nil
        case .failure(let error):
            // Never send an internal error's text; it may describe server state.
            logger.error("handler failed", metadata: ["method": "\(method)", "error": "\(type(of: error))"])
            end = CallEnd(status: .internal, message: "internal error")
            response = nil
        }
    }
}
