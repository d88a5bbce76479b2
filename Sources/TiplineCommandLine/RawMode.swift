import Glibc

/// The terminal's raw mode for ``LineEditor``, and the promise to undo it:
/// a tipster's terminal is never left without echo, whether tip returns,
/// is stopped with Ctrl-C (read as a key in raw mode), or gets SIGTERM or
/// SIGHUP while it waits for a key (``ExitCleanup`` restores it).
enum RawMode {
    nonisolated(unsafe) private static var saved = termios()
    nonisolated(unsafe) private static var active: sig_atomic_t = 0
    nonisolated(unsafe) private static var registered = false

    static func enter(_ original: termios) {
        saved = original
        var raw = original
        // No line discipline, no echo, no signals from keys (Ctrl-C is read
        // and handled), no flow control, CR kept as CR; output processing
        // stays on so that "\n" still moves to the start of a line.
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL | INLCR | IGNCR | ISTRIP)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        active = 1
        installHandlers()
        tcsetattr(0, TCSADRAIN, &raw)
    }

    static func leave() {
        guard active == 1 else { return }
        active = 0
        tcsetattr(0, TCSADRAIN, &saved)
    }

    /// Once: the terminal is restored by ``ExitCleanup``, which runs on
    /// every exit and on SIGINT, SIGTERM and SIGHUP (its own handlers, which
    /// a second handler here would replace), before the process ends.
    private static func installHandlers() {
        guard !registered else { return }
        registered = true
        ExitCleanup.register({ () }, cleanup: { _ in RawMode.leave() })
    }
}
