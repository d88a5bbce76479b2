/// One connection's memory budgets: its own, inside the server's, and the
/// accounts charged to them that live as long as the connection.
struct ConnectionBudgets: Sendable {
    let server: MemoryBudget
    /// The connection's requests: unread messages and requests whose
    /// handler has not finished.
    let connection: MemoryBudget
    /// The connection's responses not yet handed to the socket, with a
    /// budget of their own: a connection whose requests fill theirs must
    /// still be able to answer them.
    let responses: MemoryBudget
    /// Bytes of a frame still arriving (charged by the frame decoder), at
    /// most one frame per connection, so counted against the server only.
    let partialFrame: BufferAccount
    /// Responses written but not yet handed to the socket.
    let unsent: BufferAccount
    let perCall: Int

    init(limits: RPCLimits, server: MemoryBudget) {
        self.server = server
        connection = MemoryBudget(scope: "connection", limit: limits.maximumBufferedBytesPerConnection)
        responses = MemoryBudget(scope: "connection", limit: limits.maximumBufferedBytesPerConnection)
        partialFrame = BufferAccount(enclosing: [server])
        unsent = BufferAccount(enclosing: [responses, server])
        perCall = limits.maximumBufferedBytesPerCall
    }

    /// A new call's account. Reading pauses while the call holds
    /// `pauseAbove` bytes or more, and `onDrained` runs when it falls below.
    func call(pauseAbove: Int = .max, onDrained: (@Sendable () -> Void)? = nil) -> BufferAccount {
        BufferAccount(limit: perCall, enclosing: [connection, server],
                      resumeBelow: pauseAbove, onDrained: onDrained)
    }

    /// Charges a single request (unary or server-streaming) until its
    /// handler finishes, or returns the scope that has no room. Two atomic
    /// operations and no allocation: this is the hot path.
    func holdRequest(_ count: Int) -> String? {
        guard count <= perCall else { return "call" }
        guard connection.reserve(count) else { return connection.scope }
        guard server.reserve(count) else {
            connection.release(count)
            return server.scope
        }
        return nil
    }

    func releaseRequest(_ count: Int) {
        connection.release(count)
        server.release(count)
    }

    /// Gives back everything the connection still holds.
    func close() {
        partialFrame.close()
        unsent.close()
    }
}
