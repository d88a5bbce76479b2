import Foundation
import NIOCore
import SwiftProtobuf
import Testing
import TiplineLocking
@testable import TiplineRPC

/// Issue 12 item 2: calls held open by a client cannot pin the server's
/// memory. Each test reads the server's own count of buffered bytes, which
/// must never pass its budget, and the process's resident memory from
/// /proc, which must not grow by much more than the budget. Without the
/// budget, each of these held hundreds of MiB.
@Suite(.serialized) struct MemoryBudgetTests {
    static let mib = 1 << 20
    /// A request message of almost a full frame (1,000,000 bytes).
    static let bigRequest = ByteBuffer(bytes: try! Google_Protobuf_BytesValue(Data(repeating: 7, count: 999_990)).serializedBytes() as [UInt8])
    static let one = ByteBuffer(bytes: try! Google_Protobuf_UInt64Value(1).serializedBytes() as [UInt8])

    /// Resident memory of this process (the server runs in it), in bytes.
    static func residentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        let kib = Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        return kib * 1024
    }

    /// Prints a figure for the closing note and the README (test output).
    static func report(_ test: String, peak: Int? = nil, grown: Int) {
        let held = peak.map { "server held at most \(String(format: "%.1f", Double($0) / Double(mib))) MiB, " } ?? ""
        print("memory budget: \(test): \(held)resident memory grew \(String(format: "%.1f", Double(grown) / Double(mib))) MiB")
    }

    /// The CALL_END statuses a raw connection received, by stream.
    static func callEnds(_ raw: RawConnection) -> [UInt32: RPCStatus] {
        var decoder = FrameDecoder(maximumFrameSize: 1 << 20)
        var buffer = ByteBuffer(bytes: raw.box.bytes.withLock { $0 })
        var ends: [UInt32: RPCStatus] = [:]
        while let event = try? decoder.decodeOne(&buffer) {
            if case .frame(let f) = event, f.type == .callEnd, let end = try? CallEnd(decoding: f.payload) {
                ends[f.streamID] = end.status
            }
        }
        return ends
    }

    /// Samples the server's buffered bytes until `done`, returning the most seen.
    static func peak(_ server: RPCServer, while work: () async throws -> Void) async rethrows -> Int {
        let peak = SampledPeak()
        let sampler = Task {
            while !Task.isCancelled {
                peak.see(server.bufferedBytes)
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
        try await work()
        sampler.cancel()
        _ = await sampler.result
        peak.see(server.bufferedBytes)
        return peak.value
    }

    /// Whether resident memory measures what the server holds. Under
    /// AddressSanitizer (scripts/sanitize sets ASAN_OPTIONS) freed blocks sit
    /// in its quarantine, 256 MiB by default, so it does not; the byte
    /// budgets each test checks hold there too.
    static var residentMemoryCounts: Bool { ProcessInfo.processInfo.environment["ASAN_OPTIONS"] == nil }

    @Test func aUnaryMessageWithoutEndStreamIsRefusedAtOnce() async throws {
        let server = try await TestService().start()
        let raw = try await RawConnection(port: server.port)
        try await raw.send(ConnectionPreface.bytes)
        let before = try Self.residentBytes()
        // 300 unary calls, each sent ~1 MB and never finished: the old
        // server kept every one (300 MB) until the connection closed.
        for index in 0..<300 {
            let id = UInt32(2 * index + 1)
            try await raw.send(Frame(type: .callStart, streamID: id, payload: CallStart(method: TestService.echo).encoded()))
            try await raw.send(Frame(type: .message, streamID: id, payload: Self.bigRequest))
        }
        #expect(await eventually { Self.callEnds(raw).count == 300 })
        let ends = Self.callEnds(raw)
        #expect(ends.values.allSatisfy { $0 == .invalidArgument })
        #expect(server.bufferedBytes == 0)
        let grown = try Self.residentBytes() - before
        Self.report("300 unfinished unary calls of 1 MB", grown: grown)
        #expect(!Self.residentMemoryCounts || grown < 64 * Self.mib, "resident memory grew by \(grown / Self.mib) MiB")
        // The same connection still serves a proper call.
        try await raw.send(Frame(type: .callStart, streamID: 601, payload: CallStart(method: TestService.echo).encoded()))
        try await raw.send(Frame(type: .message, flags: .endStream, streamID: 601, payload: Self.one))
        #expect(await eventually { Self.callEnds(raw)[601] == .ok })
        await raw.close()
        await server.shutdown()
    }

    @Test func heldCallsOnOneConnectionStayWithinItsBudget() async throws {
        var limits = RPCLimits()
        limits.maximumConcurrentCalls = 1000
        let server = try await TestService().start(limits: limits)
        let raw = try await RawConnection(port: server.port)
        try await raw.send(ConnectionPreface.bytes)
        let before = try Self.residentBytes()
        let peak = try await Self.peak(server) {
            // 300 client-streaming calls whose handler never reads, each
            // sent ~1 MB: 300 MB if kept. The connection's budget is 16 MiB.
            for index in 0..<300 {
                let id = UInt32(2 * index + 1)
                try await raw.send(Frame(type: .callStart, streamID: id, payload: CallStart(method: TestService.hold).encoded()))
                try await raw.send(Frame(type: .message, streamID: id, payload: Self.bigRequest))
            }
            #expect(await eventually { Self.callEnds(raw).count >= 280 })
        }
        // The connection's requests, and at most one frame still arriving.
        #expect(peak <= limits.maximumBufferedBytesPerConnection + limits.maximumFrameSize + Frame.headerSize,
                "held \(peak) bytes")
        let ends = Self.callEnds(raw)
        #expect(ends.values.allSatisfy { $0 == .resourceExhausted })
        let grown = try Self.residentBytes() - before
        Self.report("300 held calls × 1 MB on one connection", peak: peak, grown: grown)
        #expect(!Self.residentMemoryCounts || grown < limits.maximumBufferedBytesPerConnection + 64 * Self.mib,
                "resident memory grew by \(grown / Self.mib) MiB")
        // Another connection is served meanwhile, with a full-size request.
        let other = try await RPCClient.connect(host: "127.0.0.1", port: server.port)
        let reply = try await other.unary(TestService.echo, Google_Protobuf_UInt64Value(9), as: Google_Protobuf_UInt64Value.self)
        #expect(reply.value == 9)
        await other.close()
        await raw.close()
        #expect(await eventually { server.bufferedBytes == 0 })
        await server.shutdown()
    }

    @Test func heldCallsOnManyConnectionsStayWithinTheServerBudgetAndTimeOut() async throws {
        var limits = RPCLimits()
        limits.maximumBufferedBytes = 32 * Self.mib
        limits.progressTimeout = .seconds(2)
        let server = try await TestService().start(limits: limits)
        let before = try Self.residentBytes()
        var raws: [RawConnection] = []
        let peak = try await Self.peak(server) {
            // 40 connections × 10 held calls × ~1 MB: 400 MB if kept. Once
            // the server's budget is full, a message gets RESOURCE_EXHAUSTED
            // for its call, or a frame still arriving gets GOAWAY
            // RESOURCE_EXHAUSTED for its connection (and later sends fail).
            for _ in 0..<40 {
                let raw = try await RawConnection(port: server.port)
                try? await raw.send(ConnectionPreface.bytes)
                for index in 0..<10 {
                    let id = UInt32(2 * index + 1)
                    try? await raw.send(Frame(type: .callStart, streamID: id, payload: CallStart(method: TestService.hold).encoded()))
                    try? await raw.send(Frame(type: .message, streamID: id, payload: Self.bigRequest))
                }
                raws.append(raw)
            }
            let opened = raws
            #expect(await eventually {
                opened.reduce(0) { $0 + Self.callEnds($1).filter { $0.value == .resourceExhausted }.count
                                      + ($1.goAway()?.status == .resourceExhausted ? 10 : 0) } >= 300
            })
        }
        #expect(peak <= limits.maximumBufferedBytes, "held \(peak) bytes")
        let grown = try Self.residentBytes() - before
        Self.report("40 connections × 10 held calls × 1 MB, 32 MiB budget", peak: peak, grown: grown)
        #expect(!Self.residentMemoryCounts || grown < limits.maximumBufferedBytes + 64 * Self.mib, "resident memory grew by \(grown / Self.mib) MiB")
        // The calls that were held make no progress: the progress timeout
        // ends them and the budget is free again.
        #expect(await eventually { server.bufferedBytes == 0 })
        let timedOut = raws.reduce(0) { $0 + Self.callEnds($1).filter { $0.value == .deadlineExceeded }.count }
        #expect(timedOut >= 1 && timedOut <= 32)
        let other = try await RPCClient.connect(host: "127.0.0.1", port: server.port)
        let reply = try await other.unary(TestService.echo, Google_Protobuf_UInt64Value(3), as: Google_Protobuf_UInt64Value.self)
        #expect(reply.value == 3)
        await other.close()
        for raw in raws { await raw.close() }
        await server.shutdown()
    }

    @Test func framesStillArrivingCountAgainstTheServerBudget() async throws {
        var limits = RPCLimits()
        limits.maximumBufferedBytes = 16 * Self.mib
        let server = try await TestService().start(limits: limits)
        var raws: [RawConnection] = []
        let peak = try await Self.peak(server) {
            // 40 connections each send 900 KB of a 1 MB frame and stop.
            for _ in 0..<40 {
                let raw = try await RawConnection(port: server.port)
                try await raw.send(ConnectionPreface.bytes)
                var header = ByteBuffer()
                header.writeInteger(UInt32(1_000_000))
                header.writeInteger(FrameType.message.rawValue)
                header.writeInteger(UInt8(0))
                header.writeInteger(UInt32(1))
                try await raw.send(Array(header.readableBytesView) + [UInt8](repeating: 1, count: 900_000))
                raws.append(raw)
            }
            let opened = raws
            #expect(await eventually { opened.filter { $0.goAway()?.status == .resourceExhausted }.count >= 20 })
        }
        #expect(peak <= limits.maximumBufferedBytes, "held \(peak) bytes")
        for raw in raws { await raw.close() }
        #expect(await eventually { server.bufferedBytes == 0 })
        await server.shutdown()
    }

    @Test func responsesNobodyReadsCloseTheConnection() async throws {
        var limits = RPCLimits()
        limits.progressTimeout = .seconds(1)
        let server = try await TestService().start(limits: limits)
        // 100 streams of 256 KiB messages to a client that reads nothing:
        // the connection's budget fills and it is closed.
        let greedy = try await RawConnection(port: server.port, reading: false)
        try await greedy.send(ConnectionPreface.bytes)
        let request = ByteBuffer(bytes: try Google_Protobuf_UInt64Value(1000).serializedBytes() as [UInt8])
        let peak = try await Self.peak(server) {
            for index in 0..<100 {
                let id = UInt32(2 * index + 1)
                try await greedy.send(Frame(type: .callStart, streamID: id, payload: CallStart(method: TestService.blobs).encoded()))
                try await greedy.send(Frame(type: .message, flags: .endStream, streamID: id, payload: request))
            }
            // A client that reads nothing never sees the close itself: ask the server.
            #expect(await eventually { server.openConnections == 0 })
        }
        #expect(peak <= limits.maximumBufferedBytesPerConnection, "held \(peak) bytes")
        // One stream, too few bytes to fill the budget, but never read:
        // the progress timeout ends it.
        let slow = try await RawConnection(port: server.port, reading: false)
        try await slow.send(ConnectionPreface.bytes)
        try await slow.send(Frame(type: .callStart, streamID: 1, payload: CallStart(method: TestService.blobs).encoded()))
        try await slow.send(Frame(type: .message, flags: .endStream, streamID: 1, payload: request))
        #expect(await eventually { server.openConnections == 1 })
        #expect(await eventually { server.openConnections == 0 })
        #expect(await eventually { server.bufferedBytes == 0 })
        await greedy.close()
        await slow.close()
        await server.shutdown()
    }
}

/// The largest value seen, from any thread.
final class SampledPeak: Sendable {
    private let box = Locked(0)
    func see(_ value: Int) { box.withLock { $0 = max($0, value) } }
    var value: Int { box.withLock { $0 } }
}
