import Foundation
import Testing
import TiplineClient
import TiplineCrypto
import TiplineProto

/// The case archive in a responder's cache (issue 15): kept across syncs,
/// and gone with a purged case.
@Suite struct CaseArchiveCacheTests {
    @Test func aPurgedCaseTakesItsArchivedKeysWithIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = try InboxCache(path: directory + "/cache.sqlite")
        let kept = Data([1]), purged = Data([2])
        try cache.store([
            .with { $0.sequence = 1; $0.tip = .with { $0.tipID = kept; $0.envelope = Data([9]) } },
            .with { $0.sequence = 2; $0.tip = .with { $0.tipID = purged; $0.envelope = Data([9]) } },
            .with { $0.sequence = 3; $0.event = .with { $0.tipID = purged; $0.envelope = Data([9]) } },
        ])
        try cache.archive([(1, [UInt8](repeating: 1, count: 72)), (2, [UInt8](repeating: 2, count: 72)),
                           (3, [UInt8](repeating: 3, count: 72))])
        #expect(Set(try cache.archived().keys) == [1, 2, 3])
        // Archiving again keeps the first entry.
        try cache.archive([(1, [UInt8](repeating: 7, count: 72))])
        #expect(try cache.archived()[1] == [UInt8](repeating: 1, count: 72))
        try cache.store([.with { $0.sequence = 4; $0.purgedTipID = purged }])
        #expect(Set(try cache.archived().keys) == [1])
    }
}
