import Foundation
import TiplineCrypto
import TiplineProto

/// What a tipster is about to send, before it is sealed.
public struct TipDraft: Sendable {
    /// The longest text a tip may carry, in UTF-8 bytes. Texts that do not
    /// fit one envelope (§4.2: about 4 MB) travel as an attachment flagged as
    /// the text; this bound keeps a responder's reader from holding more than
    /// it can show (``TipCase/maximumTextBytes`` is the same).
    public static let maximumTextBytes = 64 << 20
    /// How much of a long text stays in `what` as its beginning: enough for
    /// the inbox and for a reader that does not know the flag.
    public static let previewBytes = 16 << 10

    public var what: String
    public var place: String
    public var time: String
    public var contact: String
    public var attachments: [AttachmentFile]

    public init(what: String, place: String = "", time: String = "", contact: String = "", attachments: [AttachmentFile] = []) {
        self.what = what
        self.place = place
        self.time = time
        self.contact = contact
        self.attachments = attachments
    }

    /// The `TipContent` message, with the reply and mailbox keys from the
    /// codename and a manifest entry (name, size, key, content hash) per attachment.
    func content(keys: CodenameKeys) -> Tipline_V1_TipContent {
        .with {
            $0.what = what
            $0.where = place
            $0.when = time
            $0.contact = contact
            $0.replyPublicKey = Data(keys.replyKey.publicKey.bytes)
            $0.mailboxPublicKey = Data(keys.mailboxKey.publicKey.bytes)
            $0.attachments = attachments.map { file in
                .with {
                    $0.name = file.name
                    $0.size = file.size
                    $0.key = keys.attachmentKey(contentHash: file.contentHash).withUnsafeBytes { Data($0) }
                    $0.contentHash = Data(file.contentHash)
                    $0.text = file.isText
                }
            }
        }
    }

    /// The draft as it will be sent. A text too long for one envelope moves
    /// into an attachment flagged as the tip's text, placed first so that it
    /// is uploaded first, and `what` keeps the text's first 16 KiB (cut at a
    /// character). A text over ``maximumTextBytes`` is refused in plain words
    /// before anything is sent.
    public func preparedForSending() throws -> TipDraft {
        guard !what.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw TipsterError.emptyTip }
        guard !attachments.contains(where: \.isText) else { return self }
        // Every codename's keys are the same size, so any one measures the same.
        let measured = try content(keys: Self.measuringKeys).serializedBytes() as [UInt8]
        guard measured.count > Envelope.maxContentLength else { return self }
        let textBytes = what.utf8.count
        guard textBytes <= Self.maximumTextBytes else {
            throw TooLongError(what: "tip", bytes: textBytes, limit: Self.maximumTextBytes)
        }
        var moved = self
        moved.what = Self.beginning(of: what, bytes: Self.previewBytes)
        moved.attachments = [AttachmentFile(text: what.utf8)] + attachments
        return moved
    }

    /// Keys that only measure a draft's size; nothing is ever sealed with them.
    private static let measuringKeys = Codename().deriveKeys()

    /// The longest prefix of `text` of whole characters within `bytes` UTF-8 bytes.
    static func beginning(of text: String, bytes: Int) -> String {
        var used = 0
        var end = text.startIndex
        for character in text {
            let size = character.utf8.count
            guard used + size <= bytes else { break }
            used += size
            end = text.index(after: end)
        }
        return String(text[..<end])
    }

    /// Seals the tip to the responders' chosen keys (PROTOCOL.md §3.5), with the keys of its codename.
    public func seal(for recipients: TrustedRecipients, keys: CodenameKeys) throws -> [UInt8] {
        let bundle = recipients.bundle
        guard !what.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw TipsterError.emptyTip }
        var plaintext: [UInt8] = try content(keys: keys).serializedBytes()
        defer { for i in plaintext.indices { plaintext[i] = 0 } }
        return try TooLongError.seal(plaintext, what: "tip", kind: .tip, context: bundle.id, to: recipients.keys)
    }
}
