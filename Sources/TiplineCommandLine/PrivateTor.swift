import Foundation
import TiplineClient
import TiplineRPC

/// The Tor a tool starts for itself (``ConnectionRoute/privateTor(executable:timeoutSeconds:byDefault:)``):
/// started at most once per process and shared by the connections it makes
/// one after another, its bootstrap shown as a progress bar, and stopped,
/// with its folder removed, however the process ends (``ExitCleanup``).
actor PrivateTor {
    static let shared = PrivateTor()

    private var running: TorProcess?

    /// The SOCKS proxy of a bootstrapped Tor: the running one, or a new one.
    /// Every failure is a ``ToolFailure`` with one line from ``TorText``.
    func proxy(executable: String?, timeoutSeconds: Int, byDefault: Bool) async throws -> SOCKSProxy {
        if let running, running.isRunning, let port = running.socksPort {
            return SOCKSProxy(host: "127.0.0.1", port: port)
        }
        let environment = ProcessInfo.processInfo.environment
        let deadline = ContinuousClock.now + .seconds(timeoutSeconds)
        let display = ProgressDisplay(TorText.connecting, total: 100, unit: .percent, redrawInterval: .zero)
        do {
            guard let program = executable ?? TorProcess.onPath(environment["PATH"]) else { throw TorError.notFound(path: nil) }
            let temporary = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            // Folders left by a tool killed with kill -9: nothing else would ever remove them.
            TorProcess.removeAbandoned(under: temporary)
            let tor = try ExitCleanup.register({ try TorProcess.start(executable: program, temporaryDirectory: temporary) },
                                               cleanup: { $0.stop() })
            display.update(0)
            do {
                let port = try await tor.waitUntilListening(until: deadline)
                try await tor.waitUntilBootstrapped(until: deadline) { display.update(UInt64($0.percent)) }
                display.finish()
                running = tor
                return SOCKSProxy(host: "127.0.0.1", port: port)
            } catch {
                tor.stop()
                throw error
            }
        } catch {
            display.abandon()
            guard let error = error as? TorError else { throw error }
            throw ToolFailure(.unreachable, TorText.failure(error, timeout: timeoutSeconds, forOnion: byDefault), localized: true)
        }
    }
}
