import Foundation

/// One full run: the load cases against two long-lived server processes,
/// then the idle-connection memory test against fresh ones.
struct BenchmarkRun: Sendable {
    let options: Options

    func run() async throws -> RunReport {
        let request = EchoMethod.payload(bytes: options.payloadBytes)
        let connector = Connector(request: request)
        let loadBefore = RunReport.loadAverage()
        let fileLimit = FileLimit.raise()
        if fileLimit >= 0 && fileLimit < options.idleConnections + 64 {
            Progress.note("warning: the open-file limit is \(fileLimit); the memory test needs about \(options.idleConnections + 64)")
        }

        let cases = try await loadCases(request: request, connector: connector)
        var memory: [MemoryResult] = []
        if options.idleConnections > 0 {
            for stack in Stack.allCases {
                Progress.note("memory: \(stack.displayName), \(options.idleConnections) idle connections")
                memory.append(try await IdleConnectionProbe.measure(stack, count: options.idleConnections, connector: connector))
            }
        }

        var comparisons: [Comparison] = []
        for tipline in cases where tipline.stack == .tipline {
            if let grpc = cases.first(where: { $0.stack == .grpc && $0.connections == tipline.connections && $0.inFlight == tipline.inFlight }),
               let comparison = Comparison(tipline: tipline, grpc: grpc) {
                comparisons.append(comparison)
            }
        }
        return RunReport(
            settings: .init(secondsPerCase: options.seconds, warmupSeconds: options.warmupSeconds,
                            payloadBytes: options.payloadBytes, method: EchoMethod.path),
            machine: .init(activeProcessors: ProcessInfo.processInfo.activeProcessorCount,
                           operatingSystem: ProcessInfo.processInfo.operatingSystemVersionString,
                           loadAverageBefore: loadBefore, loadAverageAfter: RunReport.loadAverage(),
                           openFileLimit: fileLimit),
            cases: cases, comparisons: comparisons, memory: memory)
    }

    /// Both servers stay up for all cases, and each case runs Tipline and
    /// gRPC back to back, alternating which goes first, so that a machine
    /// that gets busier during the run slows both stacks alike.
    private func loadCases(request: EchoMethod.Message, connector: Connector) async throws -> [CaseResult] {
        var servers: [Stack: ServerProcess] = [:]
        defer { servers.values.forEach { $0.stop() } }
        for stack in Stack.allCases { servers[stack] = try ServerProcess(stack) }

        let warmup = Duration.seconds(options.warmupSeconds)
        let duration = Duration.seconds(options.seconds)
        var results: [CaseResult] = []
        var caseNumber = 0
        for connectionCount in options.connectionCounts {
            var connections: [Stack: [any EchoConnection]] = [:]
            for stack in Stack.allCases {
                connections[stack] = try await connector.open(connectionCount, of: stack, port: servers[stack]!.port)
            }
            for inFlight in options.inFlightCounts {
                let order: [Stack] = caseNumber % 2 == 0 ? [.tipline, .grpc] : [.grpc, .tipline]
                caseNumber += 1
                for stack in order {
                    let server = servers[stack]!
                    let sample = await LoadGenerator.run(
                        connections[stack]!, inFlight: inFlight, warmup: warmup, duration: duration,
                        request: request, server: server.probe)
                    let result = CaseResult(stack: stack, connections: connectionCount, inFlight: inFlight,
                                            sample: sample, serverResidentKiB: server.probe.residentKiB())
                    results.append(result)
                    Progress.note("\(stack.displayName), \(connectionCount) conns, \(inFlight) in flight: "
                        + "\(Format.grouped(result.callsPerSecond)) calls/s, p50 \(Format.micros(result.p50Micros)), "
                        + "p99 \(Format.micros(result.p99Micros)), \(result.errors) errors")
                }
            }
            for stack in Stack.allCases { await Connector.close(connections[stack]!) }
        }
        // In the table, each stack's cases together.
        return results.sorted { ($0.stack == .tipline ? 0 : 1, $0.connections, $0.inFlight)
            < ($1.stack == .tipline ? 0 : 1, $1.connections, $1.inFlight) }
    }
}
