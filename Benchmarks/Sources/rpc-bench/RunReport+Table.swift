import Foundation

/// The human-readable form of a ``RunReport``; README.md explains each column.
extension RunReport {
    func table() -> String {
        var out: [String] = []
        out.append("rpc-bench: unary \(settings.method), \(settings.payloadBytes)-byte BytesValue each way; "
            + "\(Format.number(settings.secondsPerCase)) s per case after \(Format.number(settings.warmupSeconds)) s warm-up")
        out.append("servers in child processes, clients in this one; \(machine.activeProcessors) cores; load average "
            + "\(machine.loadAverageBefore.map { Format.number($0) } ?? "n/a") before, "
            + "\(machine.loadAverageAfter.map { Format.number($0) } ?? "n/a") after")
        out.append("")

        var calls = TextTable(["stack", "conns", "in flight", "calls/s", "p50", "p99",
                               "server µs/call", "client µs/call", "errors"])
        for c in cases {
            calls.add([c.stack.displayName, "\(c.connections)", "\(c.inFlight)", Format.grouped(c.callsPerSecond),
                       Format.micros(c.p50Micros), Format.micros(c.p99Micros),
                       Format.optional(c.serverCPUMicrosPerCall), Format.optional(c.clientCPUMicrosPerCall), "\(c.errors)"])
        }
        out.append(calls.render())
        out.append("")

        var ratios = TextTable(["Tipline ÷ gRPC", "conns", "in flight",
                                "throughput (aim ≥ \(Format.ratio(Comparison.throughputAim)))",
                                "p50 (aim ≤ \(Format.ratio(Comparison.p50Aim)))", "p99"])
        for r in comparisons {
            ratios.add(["", "\(r.connections)", "\(r.inFlight)",
                        Format.ratio(r.throughputRatio) + (r.meetsThroughputAim ? " met" : " not met"),
                        r.p50Ratio.map { Format.ratio($0) + (r.meetsP50Aim ? " met" : " not met") } ?? "n/a",
                        r.p99Ratio.map { Format.ratio($0) } ?? "n/a"])
        }
        out.append(ratios.render())

        if !memory.isEmpty {
            out.append("")
            let count = Format.grouped(Double(memory[0].idleConnections))
            var rss = TextTable(["server VmRSS", "at start", "\(count) idle conns", "per conn",
                                 "after closing", "reopened", "threads"])
            for m in memory {
                rss.add([m.stack.displayName, Format.mebibytes(m.startKiB), Format.mebibytes(m.idleKiB),
                         m.bytesPerConnection.map { Format.kibibytes($0 / 1024) } ?? "n/a",
                         Format.mebibytes(m.afterCloseKiB), Format.mebibytes(m.reopenedKiB), m.threads.map { "\($0)" } ?? "n/a"])
            }
            out.append(rss.render())
        }

        let errors = cases.filter { $0.errors > 0 }
        if !errors.isEmpty {
            out.append("")
            for c in errors {
                out.append("errors: \(c.stack.displayName), \(c.connections) conns, \(c.inFlight) in flight: "
                    + "\(c.errors), first: \(c.firstError ?? "?")")
            }
        }
        return out.joined(separator: "\n")
    }
}
