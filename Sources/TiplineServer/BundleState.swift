import TiplineLocking
import TiplineCrypto

/// The bundle in force, swapped atomically when a new one is published.
final class BundleState: Sendable {
    struct Current: Sendable {
        let bundle: KeyBundle
        let signed: SignedKeyBundle
        /// Computed once here, not per request: every submission is checked
        /// against them, and each costs a BLAKE2b hash to derive.
        let id: [UInt8]
        let recipientKeyIds: [KeyId]

        init(bundle: KeyBundle, signed: SignedKeyBundle) {
            self.bundle = bundle
            self.signed = signed
            self.id = signed.id
            self.recipientKeyIds = bundle.recipientKeyIds
        }
    }

    private let current = Locked<Current?>(nil)

    func get() -> Current? { current.withLock { $0 } }

    func set(_ value: Current) { current.withLock { $0 = value } }
}
