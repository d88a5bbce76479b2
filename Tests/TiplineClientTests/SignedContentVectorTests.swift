import Foundation
import Testing
import TiplineClient
import TiplineCrypto
import TiplineStore
import TiplineVectors

/// Replays the vectors of proto/vectors/ whose formats live above the
/// crypto library (PROTOCOL.md §15.1, §16.1, §17.1): signatures whose
/// message is built from fields, and hashes over stored columns.
/// TiplineCryptoTests replays every other format.
@Suite struct SignedContentVectorTests {
    static let formats: Set<String> = ["signed", "hash"]

    static func vectors() throws -> [VectorFile] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("proto/vectors")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().compactMap { name in
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            guard let file = VectorFile(name: name, text: text), formats.contains(file["format"] ?? "") else { return nil }
            return file
        }
    }

    struct Missing: Error { let key: String }

    static func hex(_ v: VectorFile, _ key: String) throws -> [UInt8] {
        guard let text = v[key], let bytes = Hex.decode(text) else { throw Missing(key: key) }
        return bytes
    }

    static func number(_ v: VectorFile, _ key: String) throws -> UInt64 {
        guard let text = v[key], let n = UInt64(text) else { throw Missing(key: key) }
        return n
    }

    @Test func thereAreSignatureAndHashVectors() throws {
        let all = try Self.vectors()
        #expect(all.filter { $0["format"] == "signed" }.count >= 10)
        #expect(all.filter { $0["format"] == "hash" }.count >= 4)
    }

    @Test(arguments: try vectors())
    func replay(_ v: VectorFile) throws {
        let expect = try #require(v["expect"])
        switch v["format"] {
        case "signed":
            let key = try #require(SigningPublicKey(bytes: try Self.hex(v, "public-key")))
            let kind = try #require(UInt8(v["kind"] ?? "").flatMap(EnvelopeKind.init(rawValue:)) ?? (v["layout"] == "request" ? .tip : nil))
            let message: [UInt8]
            let context: String
            switch v["layout"] {
            case "responder-event":
                context = ResponderSignature.eventContext
                message = ResponderSignature.signedBytes(
                    kind: kind, subject: try Self.hex(v, "subject"), signer: try #require(KeyId(bytes: try Self.hex(v, "signer-key-id"))),
                    bundleVersion: try Self.number(v, "bundle-version"), signedAt: try Self.number(v, "signed-at"),
                    previous: try Self.hex(v, "previous-hash"), body: try Self.hex(v, "content-body"))
            case "tipster-content":
                context = TipsterSignature.context
                message = TipsterSignature.signedBytes(kind: kind, mailboxId: try Self.hex(v, "mailbox-id"),
                                                       bundleVersion: try Self.number(v, "bundle-version"),
                                                       signedAt: try Self.number(v, "signed-at"), body: try Self.hex(v, "content-body"))
            case "request":
                context = RequestSignature.context
                message = RequestSignature.signedBytes(method: try #require(v["method"]),
                                                       server: try #require(KeyId(bytes: try Self.hex(v, "server-key-id"))),
                                                       time: try Self.number(v, "time"), nonce: try Self.hex(v, "nonce"),
                                                       body: try Self.hex(v, "request-body"))
            default:
                Issue.record("\(v.name): unknown layout \(v["layout"] ?? "none")")
                return
            }
            #expect(v["context"] == context, "\(v.name)")
            let outcome = key.isValidSignature(v.body, for: message, context: context) ? "success" : "badSignature"
            #expect(outcome == expect, "\(v.name)")
        case "hash":
            let computed: [UInt8]
            switch v["layout"] {
            case "audit-record-tip":
                let token = try Self.hex(v, "upload-token-hash")
                computed = AuditRecord.tipHash(envelope: try Self.hex(v, "envelope"), paddedLength: try Self.number(v, "padded-length"),
                                               mailboxId: try Self.hex(v, "mailbox-id"), mailboxKey: try Self.hex(v, "mailbox-key"),
                                               bundleVersion: try Self.number(v, "bundle-version"),
                                               attachmentSlots: try Self.number(v, "attachment-slots"), uploadTokenHash: token.isEmpty ? nil : token)
            case "audit-record-attachment":
                computed = AuditRecord.attachmentHash(contentHash: try Self.hex(v, "content-hash"), tipId: try Self.hex(v, "tip-id"),
                                                      encryptedSize: try Self.number(v, "encrypted-size"))
            case "case-event":
                computed = CaseChain.hash(try Self.hex(v, "envelope"))
            default:
                Issue.record("\(v.name): unknown layout \(v["layout"] ?? "none")")
                return
            }
            #expect(expect == "success" && computed == v.body, "\(v.name)")
        default:
            Issue.record("\(v.name): not a signed or hash vector")
        }
    }
}
