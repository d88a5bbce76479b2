import NIOCore

/// One call in flight on a client connection.
struct ClientCall: Sendable {
    let id: UInt32
    let responses: ClientConnectionHandler.Producer
    let handler: NIOLoopBound<ClientConnectionHandler>
    let eventLoop: any EventLoop

    func send(_ payload: ByteBuffer, end: Bool) async throws {
        let handler = self.handler, id = self.id
        try await eventLoop.submit { try handler.value.send(id, payload, endStream: end) }.get()
    }

    func cancel() {
        let handler = self.handler, id = self.id
        eventLoop.execute { handler.value.cancel(id) }
    }
}
