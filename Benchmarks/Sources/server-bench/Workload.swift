import TiplineCrypto

/// The envelopes every side stores, sealed before anything is timed: sealing
/// is the tipster's work, not the server's. The server's clients and both
/// baselines take them in turn, so all three store the same blobs.
struct Workload: Sendable {
    struct Item: Sendable {
        let envelope: [UInt8]
        /// A fresh key per envelope, as each tipster has their own mailbox.
        /// A random Ed25519 key rather than one derived from a codename:
        /// derivation is Argon2id, client work the server never sees.
        let mailboxKey: SigningPublicKey
    }

    let items: [Item]
    let bundle: KeyBundle
    /// The padded plaintext length every envelope has (a power of two).
    let paddedLength: Int

    var envelopeBytes: Int { items[0].envelope.count }

    init(bundle: KeyBundle, count: Int, tipBytes: Int) throws {
        var items: [Item] = []
        items.reserveCapacity(count)
        for n in 0..<count {
            items.append(Item(envelope: try Envelope.seal(Self.tipText(number: n, bytes: tipBytes), kind: .tip,
                                                          context: bundle.id, to: bundle.recipientKeys),
                              mailboxKey: SigningKeyPair().publicKey))
        }
        self.items = items
        self.bundle = bundle
        paddedLength = EnvelopePadding.paddedLength(forContentLength: tipBytes) ?? 0
    }

    /// The n-th item, wrapping round: a run stores more rows than there are
    /// distinct envelopes, which costs the store nothing different, since
    /// nothing compares or deduplicates envelopes.
    func item(_ n: Int) -> Item { items[n % items.count] }

    /// Plain text of exactly `bytes` bytes, different for every `number`.
    private static func tipText(number: Int, bytes: Int) -> [UInt8] {
        let head = Array("Tip \(number): ".utf8)
        let filler = Array("the shipment leaves the north dock on Thursday night; ".utf8)
        var text = head
        while text.count < bytes { text.append(filler[(text.count - head.count) % filler.count]) }
        return Array(text.prefix(bytes))
    }
}
