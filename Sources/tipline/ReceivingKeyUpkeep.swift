import Foundation
import Glibc
import TiplineClient
import TiplineCommandLine
import TiplineCrypto

/// Runs ``ReceivingKeyMaintenance`` for a command line: under an exclusive
/// lock on `<keystore>.lock`, with the keystore read again inside the lock,
/// so that two `tipline` runs at once never write over a key the other
/// created; then says what happened, in one line each, on standard error.
enum ReceivingKeyUpkeep {
    @discardableResult
    static func run(_ session: (workspace: ResponderWorkspace, keyPath: String, passphrase: SecureBytes),
                    force: Bool = false) async throws -> ReceivingKeyMaintenance.Outcome {
        let lockPath = session.keyPath + ".lock"
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else {
            throw ToolFailure(.failure, "cannot open \(lockPath): \(String(cString: strerror(errno)))")
        }
        defer { close(lock) }
        guard flock(lock, LOCK_EX) == 0 else {
            throw ToolFailure(.failure, "cannot lock \(lockPath): \(String(cString: strerror(errno)))")
        }
        let current: KeystoreContents
        do {
            current = try Keystore.read(from: session.keyPath, passphrase: session.passphrase)
        } catch {
            throw ToolFailure(.failure, "cannot read \(session.keyPath) again: \(error)")
        }
        let outcome = try await ReceivingKeyMaintenance.run(session.workspace, keys: current, force: force) { keys in
            try KeystoreFiles.replace(session.keyPath, with: keys, passphrase: session.passphrase)
        }
        report(outcome)
        return outcome
    }

    static func report(_ outcome: ReceivingKeyMaintenance.Outcome) {
        if let created = outcome.created {
            let published = !outcome.unpublished.contains { $0.statement.keyId == created.keyId }
            Console.error("New receiving key \(created.keyId) (valid until \(Time.format(created.notAfter)))" + (published ? ", published." : "."))
        }
        for (statement, reason) in outcome.unpublished {
            Console.warning("receiving key \(statement.keyId) is not published yet (\(TerminalText.clean(reason, newlines: false))); "
                + "tipline inbox tries again")
        }
        if !outcome.destroyed.isEmpty {
            Console.error("Destroyed \(outcome.destroyed.count) receiving key(s) whose window and grace had ended; "
                + "what was sealed to them stays readable from the case archive.")
        }
        for (statement, fate) in outcome.kept {
            switch fate {
            case .awaitingSync:
                Console.error("Kept receiving key \(statement.keyId) past its grace: no whole sync has run since it closed.")
            case .awaitingArchive(let items):
                Console.error("Kept receiving key \(statement.keyId) past its grace: \(items) item(s) sealed to it could not be opened "
                    + "into the case archive yet (tipline show them, or run tipline audit).")
            case .inUse, .spent:
                break
            }
        }
    }
}
