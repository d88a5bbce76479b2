import Foundation
import TiplineCrypto
import TiplineProto

/// What a tipster is about to send, before it is sealed.
public struct TipDraft: Sendable {
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

    /// The `TipContent` message, with the reply key from the codename and a
    /// manifest entry (name, size, key, content hash) per attachment.
    func content(replyKey: BoxPublicKey) -> Tipline_V1_TipContent {
        .with {
            $0.what = what
            $0.where = place
            $0.when = time
            $0.contact = contact
            $0.replyPublicKey = Data(replyKey.bytes)
            $0.attachments = attachments.map { file in
                .with {
                    $0.name = file.name
                    $0.size = file.size
                    $0.key = file.key.withUnsafeBytes { Data($0) }
                    $0.contentHash = Data(file.contentHash)
                }
            }
        }
    }

    /// Seals the tip to every responder of `bundle`.
    public func seal(for bundle: KeyBundle, replyKey: BoxPublicKey) throws -> [UInt8] {
        guard !what.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw TipsterError.emptyTip }
        var plaintext: [UInt8] = try content(replyKey: replyKey).serializedBytes()
        defer { for i in plaintext.indices { plaintext[i] = 0 } }
        return try TooLongError.seal(plaintext, what: "tip", kind: .tip, context: bundle.id, to: bundle.recipientKeys)
    }
}
