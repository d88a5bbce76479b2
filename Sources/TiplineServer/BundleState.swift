import Synchronization
import TiplineCrypto

/// The bundle in force, swapped atomically when a new one is published.
final class BundleState: Sendable {
    struct Current: Sendable {
        let bundle: KeyBundle
        let signed: SignedKeyBundle
    }

    private let current = Mutex<Current?>(nil)

    func get() -> Current? { current.withLock { $0 } }

    func set(_ value: Current) { current.withLock { $0 = value } }
}
