import Foundation

/// The process's command line. Normally `CommandLine.arguments`; but when the
/// Swift runtime captured no arguments at all (seen on Linux under an
/// `LD_PRELOAD` of libfaketime, with which the tests move a real program's
/// clock), read back from `/proc/self/cmdline`, so that a program never runs
/// as if it had been given no arguments: `tipline keys rotate` silently
/// becoming `tipline` would print help and exit 0 having done nothing.
public enum ProcessArguments {
    public static let all: [String] = {
        if CommandLine.argc > 0 { return CommandLine.arguments }
        guard let data = FileManager.default.contents(atPath: "/proc/self/cmdline"), !data.isEmpty else { return [] }
        var words = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if words.last == "" { words.removeLast() }    // the terminating NUL
        return words
    }()

    /// The arguments after the program's name.
    public static var arguments: [String] { Array(all.dropFirst()) }
}
