import Foundation
import Testing
import TiplineCrypto
import TiplineProto
@testable import TiplineClient

/// A tip text too long for one envelope (PROTOCOL.md §17, "Long texts"):
/// how the tipster's draft moves it, and how a responder's reader finds it.
@Suite struct LongTextTests {
    @Test func aTextThatFitsStaysInTheEnvelope() throws {
        let draft = TipDraft(what: String(repeating: "x", count: 4_000_000))
        let prepared = try draft.preparedForSending()
        #expect(prepared.what == draft.what && prepared.attachments.isEmpty)
    }

    @Test func aLongerTextMovesIntoTheFirstAttachmentAndKeepsItsBeginning() throws {
        // Thai (3 bytes a letter) and an emoji (a 4-byte character) near the cut.
        let text = String(repeating: "ข้อความ 😀 ", count: 200_000)
        try #require(text.utf8.count > Envelope.maxContentLength)
        let prepared = try TipDraft(what: text).preparedForSending()
        try #require(prepared.attachments.count == 1)
        let file = prepared.attachments[0]
        #expect(file.isText && file.name == AttachmentFile.textName && file.size == UInt64(text.utf8.count))
        #expect(prepared.what.utf8.count <= TipDraft.previewBytes && prepared.what.utf8.count > TipDraft.previewBytes - 16)
        #expect(text.hasPrefix(prepared.what))
        let hash = StreamingHash(AttachmentFile.contentHashLabel)
        hash.update(Array(text.utf8))
        #expect(file.contentHash == hash.finalize())
        // The manifest flags it, and the sealed content fits one envelope.
        let keys = Codename().deriveKeys()
        let content = prepared.content(keys: keys)
        #expect(content.attachments.map(\.text) == [true])
        // The manifest names the key the codename derives for this content.
        #expect(Array(content.attachments[0].key) == keys.attachmentKey(contentHash: file.contentHash).withUnsafeBytes { Array($0) })
        let sealed: [UInt8] = try content.serializedBytes()
        #expect(sealed.count < 64 << 10)
        // Preparing twice changes nothing.
        #expect(try prepared.preparedForSending().attachments.count == 1)
    }

    @Test func aTextOverTheTipLimitIsRefusedInPlainWords() throws {
        let draft = TipDraft(what: String(repeating: "x", count: TipDraft.maximumTextBytes + 1))
        #expect(throws: TooLongError(what: "tip", bytes: TipDraft.maximumTextBytes + 1, limit: TipDraft.maximumTextBytes)) {
            try draft.preparedForSending()
        }
        let error = TooLongError(what: "tip", bytes: TipDraft.maximumTextBytes + 1, limit: TipDraft.maximumTextBytes)
        #expect(error.description.contains("67,108,865 bytes, and at most 67,108,864 fit"))
    }

    @Test func theTextStreamEncryptsWhatTheManifestPromises() async throws {
        let text = String(repeating: "บรรทัด\n", count: 300_000)
        let prepared = try TipDraft(what: text).preparedForSending()
        let file = prepared.attachments[0]
        let key = Codename().deriveKeys().attachmentKey(contentHash: file.contentHash)
        var encrypted: [UInt8] = []
        for try await piece in EncryptedFileStream(file: file, key: key, progress: { _ in }) { encrypted += piece }
        #expect(UInt64(encrypted.count) == file.encryptedSize)
        let decryptor = AttachmentDecryptor(key: key)
        var plaintext: [UInt8] = []
        try decryptor.feed(encrypted) { plaintext += $0 }
        try decryptor.finish { plaintext += $0 }
        #expect(plaintext == Array(text.utf8))
    }

    /// A reader takes the first flagged entry as the text, and any later
    /// flagged one as an ordinary file; until the text is fetched, `what`
    /// is only its beginning.
    @Test func aReaderFindsTheTextAttachment() throws {
        let organisation = SigningKeyPair(), alice = (sign: SigningKeyPair(), box: BoxKeyPair())
        let bundle = try KeyBundle(version: 1, issuedAt: 1_800_000_000, expiresAt: 1_900_000_000, organisationKey: organisation.publicKey,
                                   serverKey: SigningKeyPair().publicKey,
                                   responders: [Responder(name: "alice", signingKey: alice.sign.publicKey, boxKey: alice.box.publicKey,
                                                          role: .responder)])
        let entry = { (name: String, text: Bool) in
            Tipline_V1_AttachmentManifest.with {
                $0.name = name
                $0.size = 10
                $0.key = Data(repeating: 1, count: 32)
                $0.contentHash = Data(repeating: 2, count: 32)
                $0.text = text
            }
        }
        let content: [UInt8] = try Tipline_V1_TipContent.with {
            $0.what = "the beginning"
            $0.attachments = [entry("photo.jpg", false), entry("tip-text.txt", true), entry("\u{1B}[2Jsecond.txt", true)]
        }.serializedBytes()
        let envelope = try Envelope.seal(content, kind: .tip, context: bundle.id, to: bundle.recipientKeys)
        let item = Tipline_V1_InboxItem.with {
            $0.sequence = 1
            $0.tip = .with {
                $0.tipID = Data(repeating: 9, count: 16)
                $0.envelope = Data(envelope)
                $0.receivedAt = 1_800_000_000
                $0.mailboxID = Data(repeating: 3, count: 32)
            }
        }
        let cases = InboxDecryptor.cases(from: [item], key: alice.box, bundles: [bundle])
        try #require(cases.count == 1)
        #expect(cases[0].textAttachment == 2 && !cases[0].textIsWhole)
        #expect(cases[0].attachments.map(\.isText) == [false, true, false])
        #expect(cases[0].what == "the beginning")
    }
}
