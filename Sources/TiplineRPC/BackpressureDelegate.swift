import NIOCore

/// Connects a call's request stream to its connection: when the handler has
/// drained the buffer, reading from the socket resumes; when the handler
/// stops listening, the call's producer is dropped.
struct BackpressureDelegate: NIOAsyncSequenceProducerDelegate {
    let eventLoop: any EventLoop
    let onProduceMore: @Sendable () -> Void

    func produceMore() {
        eventLoop.execute(onProduceMore)
    }

    func didTerminate() {}
}
