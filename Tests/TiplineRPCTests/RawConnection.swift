import NIOCore
import NIOPosix
import TiplineLocking
import TiplineRPC

/// A bare TCP connection for sending hand-made (often hostile) bytes and
/// reading back exactly what the server says.
final class RawConnection: Sendable {
    let channel: any Channel
    let box = Received()

    final class Received: Sendable {
        let bytes = Locked<[UInt8]>([])
    }
    let group: MultiThreadedEventLoopGroup

    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let sink: @Sendable ([UInt8]) -> Void
        init(sink: @escaping @Sendable ([UInt8]) -> Void) { self.sink = sink }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            sink(Array(unwrapInboundIn(data).readableBytesView))
        }
    }

    /// - Parameter reading: false makes a client that never reads what the
    ///   server sends (the kernel's socket buffers fill, then the server's).
    init(port: Int, host: String = "127.0.0.1", reading: Bool = true) async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let received = box
        var bootstrap = ClientBootstrap(group: group)
        if !reading {
            // A small receive buffer, so the server's side fills soon.
            bootstrap = bootstrap.channelOption(.autoRead, value: false).channelOption(.socketOption(.so_rcvbuf), value: 4096)
        }
        channel = try await bootstrap
            .channelOption(.allowRemoteHalfClosure, value: false)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector { bytes in received.bytes.withLock { $0 += bytes } })
                }
            }
            .connect(host: host, port: port).get()
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    func send(_ frame: Frame) async throws {
        var buffer = ByteBuffer()
        FrameEncoder.write(frame, into: &buffer)
        try await channel.writeAndFlush(buffer)
    }

    /// Waits until the server closes the connection, or `timeout` passes; true if closed.
    func waitForClose(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !channel.isActive { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return !channel.isActive
    }

    /// The GOAWAY the server sent, if any, after its preface.
    func goAway() -> GoAway? {
        var decoder = FrameDecoder(maximumFrameSize: 1 << 20)
        var buffer = ByteBuffer(bytes: box.bytes.withLock { $0 })
        while let event = try? decoder.decodeOne(&buffer) {
            if case .frame(let frame) = event, frame.type == .goAway { return try? GoAway(decoding: frame.payload) }
        }
        return nil
    }

    func close() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}
