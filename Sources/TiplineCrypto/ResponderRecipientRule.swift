/// The server's check of who an envelope for the responders was sealed to,
/// now that each responder may have receiving keys (proto/PROTOCOL.md §3.5,
/// §14.3 step 5): every wrap is one responder's receiving key the server
/// accepts at this moment, or (where the bundle's policy allows identity
/// keys) one responder's identity key; no responder twice; at most
/// `extraRecipients` keys of nobody in the bundle (the tipster's own reply
/// key); under the identity policy every responder, else at least one.
public struct ResponderRecipientRule: Sendable {
    public let bundle: KeyBundle
    /// The receiving keys accepted now (§14.3): key id → the responder's id.
    public let receivingKeys: [KeyId: KeyId]

    public init(bundle: KeyBundle, receivingKeys: [KeyId: KeyId]) {
        self.bundle = bundle
        self.receivingKeys = receivingKeys
    }

    /// - Parameters:
    ///   - extraRecipients: how many keys of nobody in the bundle may be there.
    ///   - extraRequired: whether exactly that many must be (a reply must
    ///     reach the tipster's reply key).
    public func check(_ header: EnvelopeHeader, kind: EnvelopeKind, context: [UInt8], extraRecipients: Int = 0,
                      extraRequired: Bool = false) throws(EnvelopeError) {
        guard header.kind == kind else { throw .unexpectedKind(header.kind) }
        guard header.context == context else { throw .contextMismatch }
        let byIdentity = Dictionary(bundle.responders.map { ($0.recipientKeyId, $0.id) }, uniquingKeysWith: { a, _ in a })
        var covered = Set<KeyId>()
        var extras: [KeyId] = []
        for id in header.recipientKeyIds {
            let responder: KeyId
            if let owner = receivingKeys[id], bundle.responder(id: owner) != nil {
                responder = owner
            } else if let owner = byIdentity[id] {
                // An identity wrap is not forward-secret: only where the organisation allowed it.
                guard bundle.receivingKeys.fallback == .identity else { throw .unexpectedRecipient(id) }
                responder = owner
            } else {
                extras.append(id)
                continue
            }
            guard covered.insert(responder).inserted else { throw .unexpectedRecipient(id) }
        }
        if extras.count > extraRecipients, let extra = extras.first { throw .unexpectedRecipient(extra) }
        if extraRequired, extras.count < extraRecipients { throw .notARecipient }
        if bundle.receivingKeys.fallback == .identity {
            if let missing = bundle.responders.first(where: { !covered.contains($0.id) }) {
                throw .recipientMissing(missing.recipientKeyId)
            }
        } else if covered.isEmpty, let first = bundle.responders.first {
            throw .recipientMissing(first.recipientKeyId)
        }
    }
}
