import Foundation
import Testing
import TiplineClient
import TiplineCrypto
import TiplineLocking
import TiplineProto
import TiplineRPC
import TiplineServer
import TiplineStore
import TiplineTestSupport

/// Issue 12 item 3: uploads stay within their tip's slots, the server's
/// staging quota and their token's lifetime; abandoned staging is swept;
/// a stored attachment costs at most 1.25x its size on disk.
@Suite struct UploadSlotTests {
    /// Pieces that are sent as far as the gate, then wait until it opens.
    final class Gate: Sendable {
        let open = Locked(false)
        func release() { open.withLock { $0 = true } }
        func pieces(_ all: [[UInt8]], before: Int) -> AsyncThrowingStream<[UInt8], any Error> {
            AsyncThrowingStream { continuation in
                Task {
                    for (index, piece) in all.enumerated() {
                        if index == before {
                            while !open.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(10)) }
                        }
                        continuation.yield(piece)
                    }
                    continuation.finish()
                }
            }
        }
    }

    static func pieces(total: Int, size: Int = 64 * 1024) -> [[UInt8]] {
        stride(from: 0, to: total, by: size).map { [UInt8](repeating: 0x42, count: min(size, total - $0)) }
    }

    func status(_ body: () async throws -> Void) async -> RPCStatus? {
        do { try await body(); return nil } catch let error as RPCError { return error.status } catch { return .unknown }
    }

    @Test func concurrentUploadsNeverExceedTheSlotsLeft() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        let (_, tip) = try await f.submitTip("one photo", bundle: bundle, attachments: 1)
        let gate = Gate()
        let all = Self.pieces(total: 200_000)
        // 60 uploads at once for 1 slot: before, every one of them staged.
        let outcomes = Locked<[RPCStatus?]>([])
        let uploads = (0..<60).map { _ in
            Task {
                let result = await status {
                    _ = try await f.client.uploadAttachment(tipId: Array(tip.tipID), uploadToken: Array(tip.uploadToken),
                                                            encryptedSize: 200_000, pieces: gate.pieces(all, before: 2))
                }
                outcomes.withLock { $0.append(result) }
            }
        }
        // Each upload sends its start and one piece (the client holds one
        // back), then waits at the gate, so a refused client hears of it
        // only when it sends again.
        #expect(await waitUntil { (try? await f.store.stagedChunkCount()) == 1 })
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await f.store.uploadsInProgress() == 1)
        #expect(try await f.store.stagedChunkCount() == 1)
        gate.release()
        for upload in uploads { await upload.value }
        let all60 = outcomes.withLock { $0 }
        #expect(all60.filter { $0 == nil }.count == 1)
        #expect(all60.filter { $0 == .resourceExhausted }.count == 59)
        #expect(try await f.store.attachmentCount() == 1)
        #expect(try await f.store.stagedChunkCount() == 0)
        // The slot is used: one more upload gets nothing.
        #expect(await status {
            _ = try await f.client.uploadAttachment(tipId: Array(tip.tipID), uploadToken: Array(tip.uploadToken),
                                                    encryptedSize: 200_000, pieces: Pieces(all))
        } == .resourceExhausted)
    }

    @Test func theStagingQuotaCountsEveryUploadInProgress() async throws {
        let f = try await ServiceFixture { $0.stagingQuota = 300_000 }
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        let (_, first) = try await f.submitTip("first", bundle: bundle, attachments: 1)
        let (_, second) = try await f.submitTip("second", bundle: bundle, attachments: 1)
        let gate = Gate()
        let all = Self.pieces(total: 200_000)
        let held = Task {
            try await f.client.uploadAttachment(tipId: Array(first.tipID), uploadToken: Array(first.uploadToken),
                                                encryptedSize: 200_000, pieces: gate.pieces(all, before: 1))
        }
        #expect(await waitUntil { (try? await f.store.uploadsInProgress()) == 1 })
        // 200,000 staged + 200,000 more is over the 300,000-byte quota.
        #expect(await status {
            _ = try await f.client.uploadAttachment(tipId: Array(second.tipID), uploadToken: Array(second.uploadToken),
                                                    encryptedSize: 200_000, pieces: Pieces(all))
        } == .resourceExhausted)
        gate.release()
        _ = try await held.value
        // With the first upload done, the second fits.
        _ = try await f.client.uploadAttachment(tipId: Array(second.tipID), uploadToken: Array(second.uploadToken),
                                                encryptedSize: 200_000, pieces: Pieces(all))
        #expect(try await f.store.attachmentCount() == 2)
    }

    @Test func uploadTokensExpire() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        let (_, tip) = try await f.submitTip("later", bundle: bundle, attachments: 2)
        let all = Self.pieces(total: 1000)
        _ = try await f.client.uploadAttachment(tipId: Array(tip.tipID), uploadToken: Array(tip.uploadToken),
                                                encryptedSize: 1000, pieces: Pieces(all))
        // A day (the default lifetime) and an hour (the granularity) later.
        f.clock.advance(86_400 + 3600)
        #expect(await status {
            _ = try await f.client.uploadAttachment(tipId: Array(tip.tipID), uploadToken: Array(tip.uploadToken),
                                                    encryptedSize: 1000, pieces: Pieces(all))
        } == .permissionDenied)
        // The token's hash stays: the tip's audit record binds it (issue 13),
        // and the tip's received time, bound too, is what refuses it.
        try await f.service.sweepUploads()
        #expect(try await f.store.uploadSlot(tipId: Array(tip.tipID))?.tokenHash != nil)
        #expect(await status {
            _ = try await f.client.uploadAttachment(tipId: Array(tip.tipID), uploadToken: Array(tip.uploadToken),
                                                    encryptedSize: 1000, pieces: Pieces(all))
        } == .permissionDenied)
        #expect(try await f.store.attachmentCount() == 1)
    }

    @Test func abandonedStagingIsSweptAndLiveUploadsAreNot() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        let (_, tip) = try await f.submitTip("two", bundle: bundle, attachments: 2)
        // An upload whose handler died with its process: a reservation and a chunk.
        let orphan = SystemRandom().bytes(16)
        #expect(try await f.store.reserveUpload(uploadId: orphan, tipId: Array(tip.tipID), encryptedSize: 1000,
                                                stagingQuota: 1 << 30, now: f.clock.read()) == .reserved(uploadId: orphan))
        try await f.store.stageChunk(uploadId: orphan, index: 0, data: [1, 2, 3])
        // And a live upload, held half-way.
        let gate = Gate()
        let all = Self.pieces(total: 200_000)
        let live = Task {
            try await f.client.uploadAttachment(tipId: Array(tip.tipID), uploadToken: Array(tip.uploadToken),
                                                encryptedSize: 200_000, pieces: gate.pieces(all, before: 2))
        }
        #expect(await waitUntil { (try? await f.store.stagedChunkCount()) ?? 0 >= 2 })
        #expect(try await f.service.sweepUploads() == 1)
        #expect(try await f.store.uploadsInProgress() == 1)
        gate.release()
        _ = try await live.value
        #expect(try await f.store.stagedChunkCount() == 0)
        #expect(try await f.store.attachmentCount() == 1)
    }

    @Test func aStalledUploadIsEndedAndLeavesNothing() async throws {
        var limits = RPCLimits()
        limits.progressTimeout = .seconds(1)
        let f = try await ServiceFixture(limits: limits)
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        let (_, tip) = try await f.submitTip("stalls", bundle: bundle, attachments: 1)
        let gate = Gate()
        let upload = Task {
            await status {
                _ = try await f.client.uploadAttachment(tipId: Array(tip.tipID), uploadToken: Array(tip.uploadToken),
                                                        encryptedSize: 200_000, pieces: gate.pieces(Self.pieces(total: 200_000), before: 3))
            }
        }
        #expect(await waitUntil { (try? await f.store.stagedChunkCount()) == 2 })
        // The client sends nothing more; after the progress timeout the
        // server ends the call and the handler removes what it staged.
        #expect(await waitUntil { (try? await f.store.uploadsInProgress()) == 0 })
        #expect(try await f.store.stagedChunkCount() == 0)
        gate.release()
        #expect(await upload.value == .deadlineExceeded)
    }

    /// 16 MiB here; `TIPLINE_DISK_MIB=200` gives the figure in
    /// Benchmarks/README.md ("Disk cost of an attachment").
    @Test func aStoredAttachmentCostsAtMostAQuarterMoreOnDisk() async throws {
        let mib = ProcessInfo.processInfo.environment["TIPLINE_DISK_MIB"].flatMap { Int($0) }.map { min(max($0, 1), 256) } ?? 16
        let size = mib << 20
        let f = try await ServiceFixture(maximumAttachmentSize: UInt64(size))
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        let (_, tip) = try await f.submitTip("a video", bundle: bundle, attachments: 1)
        try await f.store.checkpoint()
        let before = Self.diskBytes(f.directory)
        _ = try await f.client.uploadAttachment(tipId: Array(tip.tipID), uploadToken: Array(tip.uploadToken),
                                                encryptedSize: UInt64(size), pieces: Pieces(Self.pieces(total: size)))
        #expect(try await f.store.checkpoint())
        let cost = Double(Self.diskBytes(f.directory) - before) / Double(size)
        print("disk: a \(size >> 20) MiB attachment costs \(String(format: "%.3f", cost))x its encrypted size after a checkpoint")
        #expect(cost <= 1.25)
    }

    /// The database, its WAL and its shared-memory file.
    static func diskBytes(_ directory: String) -> Int {
        ["", "-wal", "-shm"].reduce(0) { total, suffix in
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/tipline.sqlite" + suffix)
            return total + ((attributes?[.size] as? Int) ?? 0)
        }
    }
}

/// Polls `condition` for up to ten seconds.
func waitUntil(_ condition: @Sendable () async -> Bool) async -> Bool {
    for _ in 0..<1000 {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
