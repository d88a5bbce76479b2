import Foundation

/// Baseline 2: the same inserts, many rows per transaction, written by one
/// task in a loop. By default a transaction carries as many rows as there
/// are clients: the most a group commit could put in one transaction when
/// N clients each wait for one row, so this is the rate a perfect group
/// commit would reach at that client count, with no RPC, no checks and no
/// audit entries. With `--batch-rows` the size is fixed instead.
///
/// Every row of a transaction waits for that transaction's commit, so each
/// is given the transaction's duration as its latency: a lower bound, since
/// a real client would also wait for the transaction before its own.
enum BatchedBaseline {
    static func run(_ database: BaselineDatabase, rowsPerTransaction rows: Int, workload: Workload, firstItem: Int,
                    warmup: Duration, duration: Duration, disk: DiskStats?) async -> Sample {
        let window = Window(warmup: warmup, duration: duration)
        async let resources = ResourceWindow.measure(server: nil, disk: disk, from: window.start, to: window.end)
        var tally = Tally()
        var n = firstItem
        while ContinuousClock().now < window.end {
            let envelopes = (0..<rows).map { workload.item(n + $0).envelope }
            n += rows
            let started = ContinuousClock().now
            do {
                let now = Int64(Date().timeIntervalSince1970)
                try await database.pool.write { db in
                    for envelope in envelopes {
                        try BaselineDatabase.insert(db, envelope: envelope, paddedLength: workload.paddedLength, now: now)
                    }
                }
                tally.record(started: started, finished: ContinuousClock().now, rows: rows, in: window)
            } catch {
                tally.fail(error)
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
        tally.latencies.sort()
        return Sample(tally: tally, seconds: window.seconds, resources: await resources, rowsPerCommit: Double(rows))
    }
}
