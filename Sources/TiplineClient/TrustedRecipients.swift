import TiplineCrypto

/// What a client seals to: the verified bundle in force and, chosen from
/// the receiving keys the server served with it, one key per responder
/// (PROTOCOL.md §3.5): their current receiving key, or their identity key
/// or nobody, as the bundle's policy says.
public struct TrustedRecipients: Sendable {
    public let bundle: KeyBundle
    public let selection: RecipientSelection

    /// The keys every envelope for the responders is wrapped to.
    public var keys: [BoxPublicKey] { selection.recipients }

    public init(bundle: KeyBundle, selection: RecipientSelection) {
        self.bundle = bundle
        self.selection = selection
    }

    /// Chooses among `statements` (the server's, unverified) at `now`.
    /// Throws ``RecipientSelectionError/noReceivingKeys(refused:)`` when no
    /// responder can receive.
    public init(bundle: KeyBundle, statements: [[UInt8]], now: UInt64) throws {
        self.init(bundle: bundle, selection: try RecipientSelection.choose(bundle: bundle, statements: statements, now: now))
    }
}
