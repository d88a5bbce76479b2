import Logging
import NIOCore

extension ChannelPipeline.SynchronousOperations {
    /// Adds the server side of the protocol to a connection's pipeline: the
    /// frame decoder and the connection's state machine, exactly as the
    /// server's child channels get them (after TLS, if any).
    ///
    /// Package-visible so the fuzz harness (TiplineFuzzing) can run the real
    /// state machine on a test channel; it is not part of the public API.
    package func addTiplineServerHandlers(methods: MethodTable, limits: RPCLimits, logger: Logger) throws {
        try addHandler(ByteToMessageHandler(FrameDecoder(maximumFrameSize: limits.maximumFrameSize)))
        try addHandler(ServerConnectionHandler(table: methods, limits: limits, logger: logger))
    }
}
