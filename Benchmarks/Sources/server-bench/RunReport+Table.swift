import Foundation

/// The human-readable form of a ``RunReport``; README.md explains each column.
extension RunReport {
    func table() -> String {
        var out: [String] = []
        let s = settings, m = machine
        let batch = s.batchRows > 0 ? "\(s.batchRows) rows per transaction" : "one transaction per round: as many rows as clients"
        out.append("server-bench: durable tip submissions; \(Format.number(s.secondsPerMeasurement)) s per side and client count "
            + "after \(Format.number(s.warmupSeconds)) s warm-up")
        out.append("tips: \(s.tipBytes)-byte texts sealed to \(s.responders) responders, padded to \(s.paddedLength) bytes, "
            + "\(s.envelopeBytes)-byte envelopes; \(s.distinctEnvelopes) distinct envelopes sealed before timing, used in turn by every side")
        out.append("server: TipService + RPCServer in a child process; N clients = N connections from this process, one call each at a time")
        out.append("  proof of work at difficulty \(s.proofOfWorkDifficulty) (the minimum); challenges fetched and solved before the window,")
        out.append("  so the timed call is SubmitTip alone: envelope check, proof-of-work and replay checks, the store's group commit")
        out.append("GRDB, 1 txn/row: N concurrent tasks, each inserting one row per transaction and waiting for it (same concurrency as the server)")
        out.append("GRDB, batched: one writer, \(batch); each row's latency is its transaction's")
        out.append("both baselines: DatabasePool, secure_delete=ON, writer read back as journal_mode=\(m.baselineJournalMode) "
            + "synchronous=\(m.baselineSynchronous); id blob primary key, envelope blob, 4 integers; no audit entry")
        out.append("data: \(m.dataDirectory) on \(m.fileSystem ?? "unknown file system") (\(m.device ?? "?"), deleted afterwards); "
            + "\(m.activeProcessors) cores; load average \(m.loadAverageBefore.map { Format.number($0) } ?? "n/a") before, "
            + "\(m.loadAverageAfter.map { Format.number($0) } ?? "n/a") after")
        out.append("")

        var rows = TextTable(["side", "clients", "rows/s", "p50", "p99", "rows/commit", "disk writes/commit",
                              "server CPU µs/row", "bench CPU µs/row", "errors"])
        for r in results {
            rows.add([r.side.displayName, "\(r.clients)", Format.grouped(r.rowsPerSecond), Format.micros(r.p50Micros),
                      Format.micros(r.p99Micros), r.rowsPerCommit.map { Format.number($0) } ?? "n/a",
                      r.diskWritesPerCommit.map { String(format: "%.2f", $0) } ?? "n/a",
                      r.side == .server ? Format.optional(r.serverCPUMicrosPerRow) : "",
                      Format.optional(r.benchCPUMicrosPerRow), "\(r.errors)"])
        }
        out.append(rows.render())
        out.append("")

        var ratios = TextTable(["server ÷ baseline", "clients",
                                "÷ 1 txn/row (aim ≥ \(Format.ratio(Comparison.perRowAim)) at \(Comparison.perRowAimClients))",
                                "÷ batched (aim ≥ \(Format.ratio(Comparison.batchedAim)))", "p99 ÷ 1 txn/row", "p99 ÷ batched"])
        for c in comparisons {
            let perRowMark = c.meetsPerRowAim.map { $0 ? " met" : " not met" } ?? ""
            ratios.add(["", "\(c.clients)", Format.ratio(c.overPerRow) + perRowMark,
                        Format.ratio(c.overBatched) + (c.meetsBatchedAim ? " met" : " not met"),
                        c.p99OverPerRow.map { Format.ratio($0) } ?? "n/a", c.p99OverBatched.map { Format.ratio($0) } ?? "n/a"])
        }
        out.append(ratios.render())
        out.append("")

        let mem = serverMemory
        out.append("server process: peak RSS (VmHWM) \(Format.mebibytes(mem.peakKiB)); VmRSS \(Format.mebibytes(mem.startKiB)) "
            + "at start, \(Format.mebibytes(mem.endKiB)) at the end; \(mem.threads.map { "\($0)" } ?? "n/a") threads; "
            + "\(mem.storeWrites.map { Format.grouped(Double($0)) } ?? "n/a") writes stored in the run")
        let warm = results.filter { $0.side == .server }.compactMap { r in
            r.warmupSubmissionsPerSecond.map { "\(r.clients) clients \(Format.grouped($0))/s" }
        }
        if !warm.isEmpty {
            out.append("whole submitTip (GetChallenge + solve + SubmitTip) during the warm-ups, for information: " + warm.joined(separator: ", "))
        }

        let unsynced = results.filter { $0.side == .server && ($0.diskWritesPerCommit ?? 1) < 1 }
        if !unsynced.isEmpty {
            let counts = unsynced.map { "\($0.clients)" }.joined(separator: ", ")
            out.append("note: with \(counts) client\(unsynced.count == 1 && unsynced[0].clients == 1 ? "" : "s"), the server's disk had fewer write "
                + "requests than the store had commits: some commits returned before their data reached the disk, "
                + "so they were not durable against power loss (README.md, \"disk writes/commit\")")
        }
        for r in results where r.errors > 0 {
            out.append("errors: \(r.side.displayName), \(r.clients) clients: \(r.errors), first: \(r.firstError ?? "?")")
        }
        return out.joined(separator: "\n")
    }
}
