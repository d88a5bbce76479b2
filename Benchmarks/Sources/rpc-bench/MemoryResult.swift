/// A server's resident memory (VmRSS) around a batch of idle connections.
struct MemoryResult: Codable, Sendable {
    let stack: Stack
    let idleConnections: Int
    /// After one warm-up call on one connection, closed again: the server
    /// with its code paths touched but no connection open.
    let startKiB: Int?
    /// With the idle connections open, each having made one call.
    let idleKiB: Int?
    /// One second after all of them closed.
    let afterCloseKiB: Int?
    /// With as many connections opened again: near ``idleKiB`` when closed
    /// connections' memory was freed and reused, higher when it leaked.
    let reopenedKiB: Int?
    /// Server threads while the connections were open.
    let threads: Int?
    /// (idle − start) ÷ connections, in bytes.
    let bytesPerConnection: Double?

    init(stack: Stack, idleConnections: Int, startKiB: Int?, idleKiB: Int?, afterCloseKiB: Int?, reopenedKiB: Int?, threads: Int?) {
        self.stack = stack
        self.idleConnections = idleConnections
        self.startKiB = startKiB
        self.idleKiB = idleKiB
        self.afterCloseKiB = afterCloseKiB
        self.reopenedKiB = reopenedKiB
        self.threads = threads
        if let startKiB, let idleKiB, idleConnections > 0 {
            bytesPerConnection = Double(idleKiB - startKiB) * 1024 / Double(idleConnections)
        } else {
            bytesPerConnection = nil
        }
    }
}
