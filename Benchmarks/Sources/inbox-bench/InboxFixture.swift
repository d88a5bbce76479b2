import Foundation
import TiplineCrypto
import TiplineProto

/// N sealed tips as a responder's cache holds them: real `TipContent`
/// messages (about 600 bytes of text, so each pads to the 1 KiB bucket),
/// sealed to every responder of a real bundle, with one triage event per
/// tenth tip. Made once, before any timing.
struct InboxFixture {
    let bundle: KeyBundle
    let reader: BoxKeyPair
    let items: [Tipline_V1_InboxItem]
    let envelopes: [[UInt8]]

    init(tips: Int, responders: Int) throws {
        let organisation = SigningKeyPair()
        let members = (0..<responders).map { _ in (sign: SigningKeyPair(), box: BoxKeyPair()) }
        bundle = try KeyBundle(version: 1, issuedAt: 1_800_000_000, expiresAt: 1_900_000_000, organisationKey: organisation.publicKey,
                               serverKey: SigningKeyPair().publicKey,
                               responders: members.enumerated().map { i, m in
                                   Responder(name: "r\(i)", signingKey: m.sign.publicKey, boxKey: m.box.publicKey, role: .responder)
                               })
        reader = members[0].box
        var items: [Tipline_V1_InboxItem] = []
        var envelopes: [[UInt8]] = []
        let text = String(repeating: "Forty people moved at night from building 7. ", count: 13)
        var sequence: UInt64 = 0
        for i in 0..<tips {
            let content: [UInt8] = try Tipline_V1_TipContent.with {
                $0.what = "Tip \(i): " + text
                $0.where = "KM 12"
                $0.replyPublicKey = Data(BoxKeyPair().publicKey.bytes)
            }.serializedBytes()
            let envelope = try Envelope.seal(content, kind: .tip, context: bundle.id, to: bundle.recipientKeys)
            envelopes.append(envelope)
            sequence += 1
            let tipId = withUnsafeBytes(of: UInt64(i).bigEndian) { Array($0) } + [UInt8](repeating: 0, count: 8)
            items.append(.with {
                $0.sequence = sequence
                $0.tip = .with {
                    $0.tipID = Data(tipId)
                    $0.envelope = Data(envelope)
                    $0.receivedAt = 1_800_000_000
                    $0.mailboxID = Data(repeating: 1, count: 32)
                }
            })
        }
        self.items = items
        self.envelopes = envelopes
    }
}
