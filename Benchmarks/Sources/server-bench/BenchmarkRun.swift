import Foundation
import TiplineClient

/// One full run: a server process and two baseline databases, all on one
/// file system, measured at each client count in turn.
struct BenchmarkRun {
    let options: Options

    func run() async throws -> RunReport {
        let loadBefore = RunReport.loadAverage()
        let scratch = try ScratchDirectory(parent: options.directory)
        // Declared first, so it runs last: after the server has exited.
        defer { scratch.remove() }
        let fileSystem = FileSystem(containing: scratch.path)
        if fileSystem?.isVolatile == true {
            Progress.note("warning: \(scratch.path) is on \(fileSystem?.type ?? "?"), where fsync costs nothing; "
                + "every figure will be meaningless. Pass --directory on a disk.")
        }
        let disk = DiskStats(device: fileSystem?.device)

        let server = try ServerProcess(directory: scratch.directory(for: .server))
        defer { server.stop() }
        let startKiB = server.probe.residentKiB()
        Progress.note("server: pid \(server.pid), port \(server.port); sealing \(options.envelopes) envelopes")
        let workload = try Workload(bundle: server.bundle.unverifiedBundle, count: options.envelopes, tipBytes: options.tipBytes)
        let perRow = try BaselineDatabase(path: scratch.directory(for: .perRow) + "/baseline.sqlite")
        let batched = try BaselineDatabase(path: scratch.directory(for: .batched) + "/baseline.sqlite")

        let warmup = Duration.seconds(options.warmupSeconds)
        let duration = Duration.seconds(options.seconds)
        var results: [SideResult] = []
        var nextItem = 0
        for (round, clients) in options.clientCounts.enumerated() {
            let connections = try await connect(clients, port: server.port)
            // The three sides back to back, in an order that turns each
            // round, so that a machine that gets busier slows all alike.
            let order = Side.allCases.indices.map { Side.allCases[($0 + round) % Side.allCases.count] }
            for side in order {
                let sample: Sample
                switch side {
                case .server:
                    var load = ServerLoad(clients: connections, workload: workload, server: server,
                                          warmup: warmup, duration: duration, disk: disk, firstItem: nextItem)
                    sample = try await load.run()
                    nextItem = load.nextItem
                case .perRow:
                    sample = await PerRowBaseline.run(perRow, clients: clients, workload: workload, firstItem: nextItem,
                                                      warmup: warmup, duration: duration, disk: disk)
                case .batched:
                    let rows = options.batchRows > 0 ? options.batchRows : clients
                    sample = await BatchedBaseline.run(batched, rowsPerTransaction: rows, workload: workload,
                                                       firstItem: nextItem, warmup: warmup, duration: duration, disk: disk)
                }
                let result = SideResult(side: side, clients: clients, sample: sample)
                results.append(result)
                Progress.note("\(side.displayName), \(clients) clients: \(Format.grouped(result.rowsPerSecond)) rows/s, "
                    + "p50 \(Format.micros(result.p50Micros)), p99 \(Format.micros(result.p99Micros)), \(result.errors) errors")
            }
            for connection in connections { await connection.close() }
        }

        let baselineSettings = try? perRow.writerSettings()
        let memory = RunReport.ServerMemory(
            startKiB: startKiB, endKiB: server.probe.residentKiB(), peakKiB: server.probe.peakResidentKiB(),
            threads: server.probe.threads(), storeWrites: try? server.commitStatistics().writes)

        // In the table, each client count's three sides together.
        results.sort { ($0.clients, Side.allCases.firstIndex(of: $0.side)!) < ($1.clients, Side.allCases.firstIndex(of: $1.side)!) }
        var comparisons: [Comparison] = []
        for clients in options.clientCounts {
            let at = results.filter { $0.clients == clients }
            if let s = at.first(where: { $0.side == .server }), let p = at.first(where: { $0.side == .perRow }),
               let b = at.first(where: { $0.side == .batched }), let comparison = Comparison(server: s, perRow: p, batched: b) {
                comparisons.append(comparison)
            }
        }
        return RunReport(
            settings: .init(secondsPerMeasurement: options.seconds, warmupSeconds: options.warmupSeconds,
                            clientCounts: options.clientCounts, tipBytes: options.tipBytes,
                            paddedLength: workload.paddedLength, envelopeBytes: workload.envelopeBytes,
                            distinctEnvelopes: options.envelopes, responders: BenchBundle.responderCount,
                            proofOfWorkDifficulty: Int(ServerChild.proofOfWorkDifficulty), batchRows: options.batchRows),
            machine: .init(activeProcessors: ProcessInfo.processInfo.activeProcessorCount,
                           operatingSystem: ProcessInfo.processInfo.operatingSystemVersionString,
                           loadAverageBefore: loadBefore, loadAverageAfter: RunReport.loadAverage(),
                           dataDirectory: scratch.path, fileSystem: fileSystem?.type, device: fileSystem?.device,
                           baselineJournalMode: baselineSettings?.journalMode ?? "?",
                           baselineSynchronous: baselineSettings?.synchronous ?? "?"),
            results: results, comparisons: comparisons, serverMemory: memory)
    }

    /// One connection per client, as each tipster has their own.
    private func connect(_ count: Int, port: Int) async throws -> [TiplineConnection] {
        var connections: [TiplineConnection] = []
        for _ in 0..<count {
            connections.append(try await TiplineConnection.connect(host: "127.0.0.1", port: port))
        }
        return connections
    }
}
