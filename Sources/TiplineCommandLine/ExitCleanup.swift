import CTiplineSystem
import Dispatch
import Glibc
import TiplineLocking

/// What must be undone however a tool ends: a normal exit, an error, or
/// SIGINT, SIGTERM or SIGHUP (Ctrl-C, `kill`, a closed terminal window).
/// A private Tor is the case in point: left behind, it keeps running and
/// its folder stays on the tipster's device.
///
/// ``ToolMain`` runs the hooks before each of its exits; an `atexit` handler
/// catches any other `exit()`; and the first hook installs handlers for the
/// three signals that run the hooks and then end the process by the same
/// signal, as the shell expects. Only `kill -9` and a crash go past them
/// (SECURITY.md says what is left then).
public enum ExitCleanup {
    private struct Registry {
        var hooks: [@Sendable () -> Void] = []
        var signalSources: [any DispatchSourceSignal] = []
        var armed = false
    }

    private static let registry = Locked(Registry())
    /// Held while something is made and registered, and while hooks run: a
    /// signal that arrives in between waits, rather than finding nothing to
    /// clean; a second exit path waits for the first to finish cleaning.
    private static let running = Locked(())

    /// Makes something that must be undone at exit and registers `cleanup`
    /// for it, with no moment between in which an exit or a signal could
    /// leave it behind.
    public static func register<Value: Sendable>(_ make: () throws -> Value,
                                                 cleanup: @escaping @Sendable (Value) -> Void) rethrows -> Value {
        arm()
        return try running.withLock { _ in
            let value = try make()
            registry.withLock { $0.hooks.append { cleanup(value) } }
            return value
        }
    }

    /// Runs every hook once, newest first. Later calls find nothing left to do.
    public static func run() {
        running.withLock { _ in
            let hooks = registry.withLock { registry in
                defer { registry.hooks.removeAll() }
                return registry.hooks
            }
            for hook in hooks.reversed() { hook() }
        }
    }

    private static func arm() {
        let first = registry.withLock { registry in
            defer { registry.armed = true }
            return !registry.armed
        }
        guard first else { return }
        atexit { ExitCleanup.run() }
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            // A signal the tool was started with ignored (`nohup`, a
            // background job) stays ignored.
            guard tipline_signal_is_ignored(signalNumber) == 0 else { continue }
            // Ignored until libdispatch installs its own handler, which
            // feeds the source (it does so when the source is resumed).
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                ExitCleanup.run()
                // Then end by this signal, as if never caught. libdispatch may
                // have blocked it in this thread, so unblock it here and raise
                // it here, where it cannot wait in vain for another thread.
                signal(signalNumber, SIG_DFL)
                var only = sigset_t()
                sigemptyset(&only)
                sigaddset(&only, signalNumber)
                pthread_sigmask(SIG_UNBLOCK, &only, nil)
                raise(signalNumber)
                _exit(128 + signalNumber)
            }
            source.resume()
            registry.withLock { $0.signalSources.append(source) }
        }
    }
}
