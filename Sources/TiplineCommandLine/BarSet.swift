import TiplineLocking

/// One progress bar per named transfer, created on first progress.
public final class BarSet: Sendable {
    private let bars = Locked<[(String, ProgressDisplay)]>([])

    public init() {}

    public func update(_ name: String, _ done: UInt64, _ total: UInt64) {
        let bar: ProgressDisplay = bars.withLock { bars in
            if let existing = bars.last, existing.0 == name { return existing.1 }
            bars.last?.1.finish()
            let created = ProgressDisplay(name, total: total, unit: .bytes)
            bars.append((name, created))
            return created
        }
        bar.update(done)
    }

    public func finishAll() {
        bars.withLock { $0.last?.1.finish() }
    }
}
