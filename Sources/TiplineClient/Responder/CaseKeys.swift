import TiplineCrypto

/// What a responder opens cases with (PROTOCOL.md §3.4–§3.6): their identity
/// key, their receiving keys not yet destroyed, and the case archive, whose
/// content keys still open what was sealed to a receiving key since destroyed.
public struct CaseKeys: Sendable {
    public let identity: BoxKeyPair
    public let receiving: [HeldReceivingKey]
    /// The archive key of the keystore; without one (a keystore that never
    /// rotated) nothing is archived, and nothing needs to be.
    public let archiveKey: SecureBytes?
    /// Sealed content keys (``CaseArchive``) by inbox sequence number.
    public let archived: [UInt64: [UInt8]]

    public init(identity: BoxKeyPair, receiving: [HeldReceivingKey] = [], archiveKey: SecureBytes? = nil,
                archived: [UInt64: [UInt8]] = [:]) {
        self.identity = identity
        self.receiving = receiving
        self.archiveKey = archiveKey
        self.archived = archived
    }

    public init(_ keys: KeystoreContents, archived: [UInt64: [UInt8]] = [:]) {
        self.init(identity: keys.boxKey, receiving: keys.receivingKeys, archiveKey: keys.archiveKey, archived: archived)
    }

    var openingKeys: [BoxKeyPair] { [identity] + receiving.map(\.keyPair) }

    var receivingKeyIds: Set<KeyId> { Set(receiving.map(\.statement.keyId)) }
}
