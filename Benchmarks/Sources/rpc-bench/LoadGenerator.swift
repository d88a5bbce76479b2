/// Keeps a fixed number of unary calls in flight over a set of connections
/// for a fixed time, and records every call's latency.
///
/// Closed loop: `inFlight` tasks each send a call, wait for its answer, and
/// send the next. Call number g (counting across tasks) goes to connection
/// g mod C, so 16 calls over 8 connections keep 2 in flight on each, and a
/// single call in flight over 8 connections visits all 8 in turn.
///
/// Everything runs for `warmup + duration`. Throughput counts the calls
/// that complete inside the measuring window, which is unbiased whatever
/// was in flight at its edges; latency is recorded for the calls that
/// start and end inside it.
enum LoadGenerator {
    struct Sample: Sendable {
        var tally: LoadTally
        var seconds: Double
        var cpu: CPUWindow
    }

    static func run(
        _ connections: [any EchoConnection], inFlight: Int, warmup: Duration, duration: Duration,
        request: EchoMethod.Message, server: ProcessProbe
    ) async -> Sample {
        let clock = ContinuousClock()
        let measureStart = clock.now + warmup
        let end = measureStart + duration
        let expectedBytes = request.value.count
        let count = connections.count

        async let cpu = CPUWindow.measure(server: server, from: measureStart, to: end)
        let tally = await withTaskGroup(of: LoadTally.self) { group in
            for task in 0..<inFlight {
                group.addTask {
                    var tally = LoadTally()
                    var call = task
                    while true {
                        let started = clock.now
                        if started >= end { break }
                        let connection = connections[call % count]
                        call += inFlight
                        do {
                            let reply = try await connection.echo(request)
                            let finished = clock.now
                            guard reply.value.count == expectedBytes else {
                                throw EchoMismatch(bytes: reply.value.count)
                            }
                            if finished >= measureStart && finished <= end { tally.completed += 1 }
                            if started >= measureStart && finished <= end {
                                tally.latencies.append(nanoseconds(finished - started))
                            }
                        } catch {
                            tally.errors += 1
                            if tally.firstError == nil { tally.firstError = String(describing: error) }
                            // A broken connection fails at once; do not spin on it.
                            try? await Task.sleep(for: .milliseconds(1))
                        }
                    }
                    return tally
                }
            }
            var total = LoadTally()
            for await part in group { total.merge(part) }
            return total
        }
        var sorted = tally
        sorted.latencies.sort()
        return Sample(tally: sorted, seconds: seconds(duration), cpu: await cpu)
    }

    struct EchoMismatch: Error, CustomStringConvertible {
        let bytes: Int
        var description: String { "the echo had \(bytes) bytes" }
    }

    static func nanoseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
