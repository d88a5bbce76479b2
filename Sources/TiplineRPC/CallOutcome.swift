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
            return CallOutcome(end: CallEnd(status: .ok), response: try await body())
        } catch let error as RPCError {
            return CallOutcome(end: CallEnd(status: error.status, message: error.message), response: nil)
        } catch is CancellationError {
            return CallOutcome(end: CallEnd(status: .cancelled, message: "call cancelled"), response: nil)
        } catch {
            // Never send an internal error's text; it may describe server state.
            logger.error("handler failed", metadata: ["method": "\(method)", "error": "\(type(of: error))"])
            return CallOutcome(end: CallEnd(status: .internal, message: "internal error"), response: nil)
        }
    }
}
