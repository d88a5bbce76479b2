import Foundation
import TiplineCrypto
import TiplineProto

/// The tipster's side of the conversation, addressed by the codename alone.
public enum TipsterMailbox {
    /// Every message in the mailbox. Replies are opened with the codename's
    /// reply key and must carry a valid signature of a responder of a bundle
    /// the pinned organisation signed; any other reply is marked refused and
    /// its text is not shown.
    public static func read(_ keys: CodenameKeys, bundles: [KeyBundle],
                            over connection: TiplineConnection) async throws -> [MailboxMessage] {
        let mailboxId = keys.mailboxId
        // The same signature twice is one reply recorded twice: a replay.
        var seen: Set<[UInt8]> = []
        return try await connection.fetchMailbox(keys).map { message in
            let envelope = Array(message.envelope)
            let header = try EnvelopeHeader(parsing: envelope)
            switch header.kind {
            case .reply:
                // One bad reply is refused on its own; the others still show.
                do {
                    let opened = try Envelope.open(envelope, with: keys.replyKey)
                    let content = opened.withUnsafeBytes { Array($0) }
                    let event = try ResponderSignature.verify(content, kind: .reply, subject: mailboxId, bundles: bundles)
                    guard seen.insert(event.signature).inserted else {
                        return MailboxMessage(sequence: message.sequence, receivedAt: message.receivedAt, kind: .reply,
                                              text: nil, from: nil, problem: "refused: a repeat of an earlier reply (replayed)")
                    }
                    let text = try Tipline_V1_MessageContent(serializedBytes: event.body).text
                    return MailboxMessage(sequence: message.sequence, receivedAt: message.receivedAt, kind: .reply,
                                          text: text, from: event.signer.name, problem: nil)
                } catch {
                    return MailboxMessage(sequence: message.sequence, receivedAt: message.receivedAt, kind: .reply,
                                          text: nil, from: nil, problem: "refused: \(error)")
                }
            default:
                // The tipster's own follow-up, sealed to their reply key as
                // well, and signed with their mailbox key: shown back to them.
                // An older one (sealed to the responders only) shows no text.
                guard let opened = try? Envelope.open(envelope, with: keys.replyKey) else {
                    return MailboxMessage(sequence: message.sequence, receivedAt: message.receivedAt, kind: .followUp,
                                          text: nil, from: nil, problem: nil)
                }
                let content = opened.withUnsafeBytes { Array($0) }
                guard let signed = try? TipsterSignature.verify(content, key: keys.mailboxKey.publicKey),
                      let text = try? Tipline_V1_MessageContent(serializedBytes: signed.body).text else {
                    return MailboxMessage(sequence: message.sequence, receivedAt: message.receivedAt, kind: .followUp,
                                          text: nil, from: nil, problem: "not signed with this codename")
                }
                return MailboxMessage(sequence: message.sequence, receivedAt: message.receivedAt, kind: .followUp,
                                      text: text, from: nil, problem: nil)
            }
        }
    }

    /// Seals a follow-up, signed with the codename's mailbox key, to the
    /// current responders and to the codename's own reply key (so that
    /// `tip check` can show the tipster what they added), and posts it
    /// (with proof of work).
    public static func followUp(_ text: String, keys: CodenameKeys, to recipients: TrustedRecipients,
                                over connection: TiplineConnection) async throws -> UInt64 {
        let bundle = recipients.bundle
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw TipsterError.emptyTip }
        var plaintext = try TipsterSignature.sign(Tipline_V1_MessageContent.with { $0.text = text }, keys: keys,
                                                  bundleVersion: bundle.version, signedAt: connection.clock())
        defer { for i in plaintext.indices { plaintext[i] = 0 } }
        let envelope = try TooLongError.seal(plaintext, what: "follow-up", kind: .followUp, context: bundle.id,
                                             to: recipients.keys + [keys.replyKey.publicKey])
        return try await connection.postFollowUp(keys, envelope: envelope)
    }
}
