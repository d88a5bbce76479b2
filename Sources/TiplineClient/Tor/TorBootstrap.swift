import Foundation

/// How far a `tor` has got in connecting to the Tor network, from its log
/// line `Bootstrapped 45% (loading_descriptors): Loading relay descriptors`.
///
/// Tor 0.4 and later write a tag in parentheses; 0.3 wrote
/// `Bootstrapped 45%: Loading relay descriptors`. Both are read.
public struct TorBootstrap: Sendable, Equatable {
    /// 0 to 100; 100 means circuits can be built and the SOCKS port will carry traffic.
    public let percent: Int
    /// Tor's short name for the phase (`conn`, `handshake`, `done`), when it gave one.
    public let tag: String?
    /// Tor's English words for the phase. Not for the tipster: `tip` shows the percentage only.
    public let summary: String

    public init(percent: Int, tag: String?, summary: String) {
        self.percent = percent
        self.tag = tag
        self.summary = summary
    }

    /// Reads the message part of a log line (after `[notice] `); nil for
    /// any other message, and for a percentage outside 0...100.
    public init?(message: Substring) {
        let prefix = "Bootstrapped "
        guard message.hasPrefix(prefix) else { return nil }
        var rest = message.dropFirst(prefix.count)
        let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
        // At most three digits: a longer run would overflow Int before the range check.
        guard (1...3).contains(digits.count), let percent = Int(digits), (0...100).contains(percent) else { return nil }
        rest = rest.dropFirst(digits.count)
        guard rest.first == "%" else { return nil }
        rest = rest.dropFirst()
        var tag: String?
        if rest.hasPrefix(" (") {
            guard let close = rest.firstIndex(of: ")") else { return nil }
            tag = String(rest[rest.index(rest.startIndex, offsetBy: 2)..<close])
            rest = rest[rest.index(after: close)...]
        }
        guard rest.hasPrefix(":") else { return nil }
        self.init(percent: percent, tag: tag, summary: rest.dropFirst().trimmingCharacters(in: .whitespaces))
    }

    public var isDone: Bool { percent == 100 }
}
