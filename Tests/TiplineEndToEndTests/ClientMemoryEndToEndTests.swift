import Foundation
import Testing

/// Issue 14 item 5: `tip submit` and `tipline attachments` hold memory that
/// does not grow with the file. Each tool uploads, then downloads, a 1 MiB
/// and a 64 MiB attachment through a real server; the kernel's count of each
/// process's peak resident memory may differ by at most 16 MiB between the
/// two. The old `tip` wrote every encrypted chunk to the connection without
/// waiting for the socket, and held the whole file: 54 MiB more here, and
/// 1,041 MiB more for 1 GiB.
/// Benchmarks/Sources/client-memory-bench measures the release tools at 1 GiB.
@Suite(.serialized) struct ClientMemoryEndToEndTests {
    static let mib = 1 << 20

    /// Under AddressSanitizer (scripts/sanitize sets ASAN_OPTIONS) freed
    /// blocks stay resident in its quarantine, and ThreadSanitizer (it sets
    /// TSAN_OPTIONS) keeps shadow memory for what a process touched, so
    /// resident memory measures neither tool there; the transfers are still checked.
    static var residentMemoryCounts: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["ASAN_OPTIONS"] == nil && environment["TSAN_OPTIONS"] == nil
    }

    @Test func uploadAndDownloadHoldMemoryThatDoesNotGrowWithTheFile() throws {
        let story = try StoryFixture(name: "client-memory")
        defer { story.tearDown() }
        var peaks: [Int: (submit: Int, download: Int)] = [:]
        for mebibytes in [1, 64] {
            // Sparse: creating it costs nothing, and reading it costs the tool
            // no memory of its own; every byte is still encrypted and sent.
            let name = "evidence-\(mebibytes).bin"
            _ = FileManager.default.createFile(atPath: story.path(name), contents: nil)
            let file = try #require(FileHandle(forWritingAtPath: story.path(name)))
            try file.truncate(atOffset: UInt64(mebibytes * Self.mib))
            try file.close()

            let before = Set(try story.inbox(as: "alice").map { $0["id"] as! String })
            let submit = try MeasuredRun.run(story.tip, ["submit", "--server", story.address, "--org", story.fingerprint,
                                                         "--message", "a file of \(mebibytes) MiB", "--attach", story.path(name), "--json"])
            let sent = try submit.json() as! [String: Any]
            #expect(sent["attachments"] as? Int == 1)
            let id = try #require(try story.inbox(as: "alice").map { $0["id"] as! String }.first { !before.contains($0) })

            let download = try MeasuredRun.run(story.tipline, ["attachments", id, "--key", story.path("alice.key"),
                                                               "--out", story.path("saved-\(mebibytes)"), "--json"])
            let written = try download.json() as! [String]
            try #require(written.count == 1)
            let size = try FileManager.default.attributesOfItem(atPath: written[0])[.size] as? Int
            #expect(size == mebibytes * Self.mib)
            // The saved copy would otherwise take 64 MiB of disk until tearDown.
            try FileManager.default.removeItem(atPath: written[0])
            try FileManager.default.removeItem(atPath: story.path(name))

            peaks[mebibytes] = (submit.peakResidentBytes, download.peakResidentBytes)
            print("client memory: \(mebibytes) MiB attachment: tip submit peak \(submit.peakResidentBytes / 1024) KiB, "
                  + "tipline attachments peak \(download.peakResidentBytes / 1024) KiB")
        }
        guard Self.residentMemoryCounts, let small = peaks[1], let large = peaks[64] else { return }
        let submitGrowth = large.submit - small.submit
        let downloadGrowth = large.download - small.download
        #expect(submitGrowth <= 16 * Self.mib, "tip submit held \(submitGrowth / 1024) KiB more for 64 MiB than for 1 MiB")
        #expect(downloadGrowth <= 16 * Self.mib,
                "tipline attachments held \(downloadGrowth / 1024) KiB more for 64 MiB than for 1 MiB")
    }
}
