import NIOCore
import TiplineLocking

/// What the test proxy saw, shared by its connections (each on its own event
/// loop) and the test that reads it.
final class SOCKSProxyRecord: Sendable {
    let targets = Locked<[SOCKSTarget]>([])
    let bytesBeforeReply = Locked(0)
    /// Every accepted client connection, so that stopping the proxy ends them.
    let connections = Locked<[any Channel]>([])
}
