import NIOCore
import Synchronization

/// The one response message of a unary or client-streaming call, held by
/// the handler's task until the call ends (see ServerConnectionHandler).
final class SingleResponse: Sendable {
    private let buffer = Mutex<ByteBuffer?>(nil)

    func set(_ message: ByteBuffer) { buffer.withLock { $0 = message } }

    func take() -> ByteBuffer? { buffer.withLock { value in defer { value = nil }; return value } }
}
