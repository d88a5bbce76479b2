import Foundation

/// Baseline 1: one transaction per row, with the server's concurrency. N
/// tasks each insert a row in a transaction of its own, wait for the commit
/// (and so the fsync) and insert the next: what the store would do without
/// group commit, with N clients waiting. SQLite has one writer, so the
/// tasks queue in GRDB's writer and each row costs a whole commit; the
/// latencies include that queueing, as the server's include its own.
enum PerRowBaseline {
    static func run(_ database: BaselineDatabase, clients: Int, workload: Workload, firstItem: Int,
                    warmup: Duration, duration: Duration, disk: DiskStats?) async -> Sample {
        let window = Window(warmup: warmup, duration: duration)
        async let resources = ResourceWindow.measure(server: nil, disk: disk, from: window.start, to: window.end)
        let tally = await withTaskGroup(of: Tally.self) { group in
            for task in 0..<clients {
                group.addTask {
                    var tally = Tally()
                    var n = firstItem + task
                    while ContinuousClock().now < window.end {
                        let envelope = workload.item(n).envelope
                        n += clients
                        let started = ContinuousClock().now
                        do {
                            let now = Int64(Date().timeIntervalSince1970)
                            try await database.pool.write { db in
                                try BaselineDatabase.insert(db, envelope: envelope, paddedLength: workload.paddedLength, now: now)
                            }
                            tally.record(started: started, finished: ContinuousClock().now, in: window)
                        } catch {
                            tally.fail(error)
                            try? await Task.sleep(for: .milliseconds(1))
                        }
                    }
                    return tally
                }
            }
            var total = Tally()
            for await part in group { total.merge(part) }
            return total
        }
        var sorted = tally
        sorted.latencies.sort()
        return Sample(tally: sorted, seconds: window.seconds, resources: await resources, rowsPerCommit: 1)
    }
}
