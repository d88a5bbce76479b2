import Logging
import NIOCore

extension ChannelPipeline.SynchronousOperations {
    /// Adds the server side of the protocol to a connection's pipeline: the
    /// frame decoder and the connection's state machine, exactly as the
    /// server's child channels get them (after TLS, if any).
    ///
    /// Package-visible so the fuzz harness (TiplineFuzzing) can run the real
    /// state machine on a test channel; it is not part of the public API.
    ///
    /// `serverBudget` is shared by every connection of one server; each
    /// connection gets its own budget inside it (PROTOCOL.md §12).
    package func addTiplineServerHandlers(methods: MethodTable, limits: RPCLimits, serverBudget: MemoryBudget,
                                          logger: Logger) throws {
        let budgets = ConnectionBudgets(limits: limits, server: serverBudget)
        try addHandler(ByteToMessageHandler(FrameDecoder(maximumFrameSize: limits.maximumFrameSize,
                                                         account: budgets.partialFrame)))
        try addHandler(ServerConnectionHandler(table: methods, limits: limits, budgets: budgets, logger: logger))
    }
}
