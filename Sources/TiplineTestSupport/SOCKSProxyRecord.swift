import NIOCore
import Synchronization

/// What the test proxy saw, shared by its connections (each on its own event
/// loop) and the test that reads it.
final class SOCKSProxyRecord: Sendable {
    let targets = Mutex<[SOCKSTarget]>([])
    let bytesBeforeReply = Mutex(0)
    /// Every accepted client connection, so that stopping the proxy ends them.
    let connections = Mutex<[any Channel]>([])
}
