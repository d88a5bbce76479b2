import Foundation
import TiplineLocking

/// A one-line progress bar on stderr, redrawn in place, only when stderr is
/// a terminal: piped or logged output gets the final line and nothing else.
public final class ProgressDisplay: Sendable {
    private struct State {
        var done: UInt64 = 0
        var lastDraw: ContinuousClock.Instant?
    }

    private let label: String
    private let total: UInt64
    private let unit: Unit
    private let redrawInterval: Duration
    private let state = Locked(State())
    private let interactive = Console.stderrIsTerminal

    public enum Unit: Sendable {
        case bytes
        case attempts
        /// A percentage reported by someone else (Tor's bootstrap): `total` is 100.
        case percent
    }

    /// `redrawInterval` is the least time between two draws: updates in
    /// between are not drawn. Keep the default for frequent updates (bytes
    /// sent); use `.zero` for rare ones, each of which must show (a stalled
    /// Tor would otherwise show a stale figure until its next line).
    public init(_ label: String, total: UInt64, unit: Unit, redrawInterval: Duration = .milliseconds(100)) {
        // Often a file name the tipster chose: never sent to the terminal raw.
        self.label = TerminalText.clean(label, newlines: false)
        self.total = max(total, 1)
        self.unit = unit
        self.redrawInterval = redrawInterval
    }

    /// Sets the amount done; redraws at most once per `redrawInterval`.
    public func update(_ done: UInt64) {
        guard interactive else { return }
        let now = ContinuousClock.now
        let line: String? = state.withLock { state in
            state.done = done
            if let last = state.lastDraw, now - last < redrawInterval { return nil }
            state.lastDraw = now
            return render(done)
        }
        if let line { FileHandle.standardError.write(Data(("\r" + line).utf8)) }
    }

    /// Draws the bar full and ends the line.
    public func finish() {
        let line = render(total)
        FileHandle.standardError.write(Data(((interactive ? "\r" : "") + line + "\n").utf8))
    }

    /// Ends the line where the bar stands, for a failure: an error message
    /// then starts on a line of its own, and the bar never claims "done".
    public func abandon() {
        let drawn = state.withLock { $0.lastDraw != nil }
        if interactive && drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func render(_ done: UInt64) -> String {
        // A total of 0 (an empty file, or a hostile server's size) is done;
        // 0/0 would be NaN, and Int(NaN) traps.
        let fraction = total == 0 ? 1 : min(Double(done) / Double(total), 1)
        let width = 20
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let amount = switch unit {
        case .bytes: "\(Self.size(done))/\(Self.size(total))"
        case .attempts: fraction >= 1 ? L("progress.done") : "~\(Int(fraction * 100))%"
        // Integer arithmetic: 0.29 * 100 is 28.999… in floating point.
        case .percent: "\(min(done, total) * 100 / total)%"
        }
        // The label takes the same columns in every language and for every
        // file name (by display width: Thai marks take none, Chinese two), so
        // bars line up, and the whole line stays within 80 columns so that
        // "\r" redraws it in place.
        return "\(DisplayWidth.fit(label, to: Self.labelColumns)) [\(bar)] \(amount)"
    }

    /// Columns for the label: 80 less the bar (22) and the widest amount
    /// ("1023.9 MiB/1023.9 MiB", 21) and spaces.
    static let labelColumns = 34

    public static func size(_ bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1024 && index < units.count - 1 {
            value /= 1024
            index += 1
        }
        return index == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[index])
    }
}
