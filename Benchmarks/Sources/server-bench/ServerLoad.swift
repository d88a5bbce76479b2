import Foundation
import SwiftProtobuf
import TiplineClient
import TiplineCrypto
import TiplineProto

/// Drives the real server with N clients, each one TCP connection with one
/// submission at a time (closed loop), as N tipsters submitting at once.
///
/// Three phases at each client count:
/// 1. Warm-up: every client runs the whole `TiplineConnection.submitTip`
///    (GetChallenge, solve, SubmitTip) for the warm-up time. This warms the
///    server, and its rate sizes the next phase.
/// 2. Preparation, untimed: each client fetches and solves enough challenges
///    for the window, each bound to the envelope it will carry.
/// 3. The window: each client sends its prepared SubmitTip requests one
///    after another. So what is timed is the server's submit path (envelope
///    check, proof-of-work check, replay check, group commit, fsync) plus the
///    RPC round trip, not the challenge round trip or the solving.
///
/// A client that runs out of prepared requests before the window closes
/// would lower the concurrency, so that attempt is thrown away and the
/// window run again with twice as many.
struct ServerLoad {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let clients: [TiplineConnection]
    let workload: Workload
    let server: ServerProcess
    let warmup: Duration
    let duration: Duration
    let disk: DiskStats?

    /// Envelopes are taken from the workload from here on; advanced past
    /// every one used, so that consecutive phases do not repeat envelopes
    /// more than the workload's size forces.
    private(set) var nextItem = 0

    init(clients: [TiplineConnection], workload: Workload, server: ServerProcess, warmup: Duration, duration: Duration,
         disk: DiskStats?, firstItem: Int) {
        self.clients = clients
        self.workload = workload
        self.server = server
        self.warmup = warmup
        self.duration = duration
        self.disk = disk
        nextItem = firstItem
    }

    mutating func run() async throws -> Sample {
        let warmupRate = try await warmUp()
        // The window runs without the challenge round trip, so it can go
        // faster than the warm-up did; three times the warm-up's rate, and
        // twice more on each retry.
        var margin = 3.0
        for _ in 0..<3 {
            let perClient = Int((warmupRate * Window.seconds(duration) * margin / Double(clients.count)).rounded(.up)) + 16
            let prepared = try await prepare(perClient: perClient)
            var sample = try await measure(prepared)
            if !sample.tally.exhausted {
                sample.warmupSubmissionsPerSecond = warmupRate
                return sample
            }
            Progress.note("  \(clients.count) clients ran out of prepared submissions (\(perClient) each); preparing more")
            margin *= 2
        }
        throw Failure(description: "the clients kept running out of prepared submissions")
    }

    /// Whole submitTip calls for the warm-up time; returns their rate.
    private mutating func warmUp() async throws -> Double {
        let window = Window(warmup: .zero, duration: warmup)
        let workload = self.workload
        let base = nextItem
        let count = clients.count
        let tally = await withTaskGroup(of: Tally.self) { group in
            for (c, client) in clients.enumerated() {
                group.addTask {
                    var tally = Tally()
                    var n = c
                    while ContinuousClock().now < window.end {
                        let item = workload.item(base + n)
                        n += count
                        let started = ContinuousClock().now
                        do {
                            _ = try await client.submitTip(envelope: item.envelope, mailboxKey: item.mailboxKey)
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
        nextItem = base + tally.completed + tally.errors + count
        if tally.completed == 0 {
            throw Failure(description: "no submission succeeded during the warm-up: \(tally.firstError ?? "no error")")
        }
        return Double(tally.completed) / window.seconds
    }

    /// For each client, `perClient` SubmitTip requests with solved proofs.
    private mutating func prepare(perClient: Int) async throws -> [[Tipline_V1_SubmitTipRequest]] {
        let workload = self.workload
        let base = nextItem
        nextItem += perClient * clients.count
        return try await withThrowingTaskGroup(of: (Int, [Tipline_V1_SubmitTipRequest]).self) { group in
            for (c, client) in clients.enumerated() {
                group.addTask {
                    var requests: [Tipline_V1_SubmitTipRequest] = []
                    requests.reserveCapacity(perClient)
                    for i in 0..<perClient {
                        let item = workload.item(base + c * perClient + i)
                        let proof = try await client.proofOfWork(for: item.envelope, purpose: .submitTip)
                        requests.append(.with {
                            $0.envelope = Data(item.envelope)
                            $0.proofOfWork = proof
                            $0.mailboxPublicKey = Data(item.mailboxKey.bytes)
                        })
                    }
                    return (c, requests)
                }
            }
            var prepared = [[Tipline_V1_SubmitTipRequest]](repeating: [], count: clients.count)
            for try await (c, requests) in group { prepared[c] = requests }
            return prepared
        }
    }

    /// The timed window: every client sends its prepared requests in turn.
    private func measure(_ prepared: [[Tipline_V1_SubmitTipRequest]]) async throws -> Sample {
        let before = try server.commitStatistics()
        // A short lead so that every client task is waiting when it opens.
        let window = Window(warmup: .milliseconds(20), duration: duration)
        let probe = server.probe, disk = self.disk
        async let resources = ResourceWindow.measure(server: probe, disk: disk, from: window.start, to: window.end)
        let tally = await withTaskGroup(of: Tally.self) { group in
            for (client, requests) in zip(clients, prepared) {
                group.addTask {
                    var tally = Tally()
                    try? await Task.sleep(until: window.start, clock: ContinuousClock())
                    var next = requests.makeIterator()
                    while ContinuousClock().now < window.end {
                        guard let request = next.next() else {
                            tally.exhausted = true
                            break
                        }
                        let started = ContinuousClock().now
                        do {
                            let response = try await client.rpc.unary(TiplineMethod.submitTip, request,
                                                                      as: Tipline_V1_SubmitTipResponse.self)
                            guard response.tipID.count == 16 else { throw Failure(description: "the answer had no tip id") }
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
        let after = try server.commitStatistics()
        let commits = after.commits - before.commits
        var sorted = tally
        sorted.latencies.sort()
        return Sample(tally: sorted, seconds: window.seconds, resources: await resources,
                      rowsPerCommit: commits > 0 ? Double(after.writes - before.writes) / Double(commits) : nil)
    }
}
