import NIOCore

/// One call in flight on a client connection.
struct ClientCall: Sendable {
    let id: UInt32
    let responses: ClientConnectionHandler.Producer
    let handler: NIOLoopBound<ClientConnectionHandler>
    let eventLoop: any EventLoop

    /// Sends one request message and returns once the connection can take
    /// the next, so a caller streaming a large file holds a bounded amount
    /// of it in memory however slow the network or the server is. The last
    /// message does not wait: nothing follows it.
    func send(_ payload: ByteBuffer, end: Bool) async throws {
        let handler = self.handler, id = self.id, loop = self.eventLoop
        try await loop.flatSubmit { () -> EventLoopFuture<Void> in
            do {
                try handler.value.send(id, payload, endStream: end)
            } catch {
                return loop.makeFailedFuture(error)
            }
            return end ? loop.makeSucceededVoidFuture() : handler.value.readyForMore(id, on: loop)
        }.get()
    }

    func cancel() {
        let handler = self.handler, id = self.id
        eventLoop.execute { handler.value.cancel(id) }
    }
}
