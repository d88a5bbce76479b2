import TiplineCrypto

/// What both sides of one envelope case share, made once and never timed:
/// recipients' key pairs, the content and the context (bundle id).
struct EnvelopeFixture {
    /// Key pairs in canonical (ascending key-id) order, the order the wire
    /// format lists recipients in; the bare side relies on it.
    let keyPairs: [BoxKeyPair]
    let publicKeys: [BoxPublicKey]
    let keyIds: [KeyId]
    let content: [UInt8]
    let context: [UInt8]
    let paddedLength: Int
    /// Production openers check the header against the bundle in force, so
    /// ours is timed with an expectation; it is built once, as the app would.
    let expectation: EnvelopeExpectation

    init(recipients count: Int, contentBytes: Int) {
        let random = SystemRandom()
        keyPairs = (0..<count).map { _ in BoxKeyPair(random: random) }
            .sorted { $0.publicKey.keyId < $1.publicKey.keyId }
        publicKeys = keyPairs.map(\.publicKey)
        keyIds = publicKeys.map(\.keyId)
        content = random.bytes(contentBytes)
        context = random.bytes(Envelope.contextByteCount)
        paddedLength = EnvelopePadding.paddedLength(forContentLength: contentBytes)!
        expectation = EnvelopeExpectation(kind: .tip, context: context, recipients: keyIds)
    }

    /// The recipient who opens: the last in canonical order, so that ours
    /// searches the whole recipient list for its key id (the worst case).
    var openerIndex: Int { keyPairs.count - 1 }
    var opener: BoxKeyPair { keyPairs[openerIndex] }
}
