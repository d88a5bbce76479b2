/// Times two implementations of the same operation against each other.
///
/// Everything runs on the calling thread: the machines have two cores, and a
/// second busy thread would only measure contention with the first.
enum Harness {
    /// The rates (work units per second) of each repetition of each side.
    struct Pair {
        var ours: [Double] = []
        var bare: [Double] = []
    }

    /// Warms both sides up, then alternates timed repetitions between them.
    ///
    /// Alternating (ours, bare, bare, ours, …) rather than running all of one
    /// side first spreads slow drifts of the machine — thermal throttling, a
    /// neighbour waking up — evenly over both sides, so the ratio stays honest
    /// even when the absolute numbers wander.
    ///
    /// - Parameter unitsPerOp: the work one call does, in the reported unit
    ///   (1 for ops/s, megabytes for MB/s).
    static func compare(
        unitsPerOp: Double,
        options: Options,
        ours: () throws -> Void,
        bare: () throws -> Void
    ) rethrows -> Pair {
        _ = try rate(of: ours, seconds: options.warmupSeconds, unitsPerOp: unitsPerOp)
        _ = try rate(of: bare, seconds: options.warmupSeconds, unitsPerOp: unitsPerOp)
        var pair = Pair()
        for repetition in 0..<options.repetitions {
            if repetition.isMultiple(of: 2) {
                pair.ours.append(try rate(of: ours, seconds: options.seconds, unitsPerOp: unitsPerOp))
                pair.bare.append(try rate(of: bare, seconds: options.seconds, unitsPerOp: unitsPerOp))
            } else {
                pair.bare.append(try rate(of: bare, seconds: options.seconds, unitsPerOp: unitsPerOp))
                pair.ours.append(try rate(of: ours, seconds: options.seconds, unitsPerOp: unitsPerOp))
            }
        }
        return pair
    }

    /// Calls `op` until `seconds` have passed (at least once) and returns
    /// units per second over the time actually spent.
    ///
    /// The clock is read after every call; at ~30 ns a read against the tens
    /// of microseconds of the cheapest operation here, that costs < 0.1 %.
    /// No black hole is needed: every operation ends in calls into libsodium
    /// or into another module, which the optimiser cannot prove free of side
    /// effects and so cannot delete.
    static func rate(of op: () throws -> Void, seconds: Double, unitsPerOp: Double) rethrows -> Double {
        let clock = ContinuousClock()
        let budget = Duration.seconds(seconds)
        var ops = 0
        let start = clock.now
        var elapsed = Duration.zero
        repeat {
            try op()
            ops += 1
            elapsed = start.duration(to: clock.now)
        } while elapsed < budget
        return Double(ops) * unitsPerOp / elapsed.inSeconds
    }
}

extension Duration {
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}

/// The median, minimum and maximum of one side's repetitions.
struct Stats: Codable, Sendable {
    let median: Double
    let min: Double
    let max: Double
    let samples: [Double]

    init(_ samples: [Double]) {
        precondition(!samples.isEmpty, "no samples")
        let sorted = samples.sorted()
        let mid = sorted.count / 2
        median = sorted.count.isMultiple(of: 2) ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[mid]
        min = sorted.first!
        max = sorted.last!
        self.samples = samples
    }

    /// (max − min) / median: how far apart the repetitions were.
    var spread: Double { median > 0 ? (max - min) / median : 0 }
}
