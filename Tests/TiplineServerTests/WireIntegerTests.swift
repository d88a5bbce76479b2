import Foundation
import SwiftProtobuf
import Testing
import TiplineClient
import TiplineCrypto
import TiplineProto
import TiplineRPC
import TiplineTestSupport

/// Every integer field of every request, found by walking the generated
/// descriptors (not a hand-written list), is sent 0, 2^31, 2^63−1, 2^63 and
/// 2^64−1 through a real server. Authenticated methods carry valid
/// signatures, so the values reach the handlers. Each call must be answered
/// (any status), and the server must keep serving. Before issue 12, one
/// GetAuditLog with after_sequence ≥ 2^63 trapped and stopped the server.
@Suite(.serialized) struct WireIntegerTests {
    static let extremes: [UInt64] = [0, 1 << 31, UInt64(Int64.max), 1 << 63, UInt64.max]

    /// An integer field reached from a method's request: the path of field
    /// numbers through nested messages, and the field's scalar type.
    struct IntegerField: CustomStringConvertible {
        let method: String
        let path: [(number: Int32, name: String)]
        let type: Google_Protobuf_FieldDescriptorProto.TypeEnum
        var description: String { "\(method) \(path.map(\.name).joined(separator: "."))" }
    }

    /// Every integer field of every method's request, nested messages included.
    static func integerFields() throws -> [IntegerField] {
        let descriptors = try ProtoDescriptors()
        let messages = descriptors.messages
        var found: [IntegerField] = []
        func walk(_ type: String, method: String, path: [(Int32, String)], depth: Int) {
            guard depth < 4, let message = messages[type] else { return }
            for field in message.field {
                let here = path + [(field.number, field.name)]
                if ProtoDescriptors.integerTypes.contains(field.type) {
                    found.append(IntegerField(method: method, path: here.map { (number: $0.0, name: $0.1) }, type: field.type))
                } else if field.type == .message {
                    walk(field.typeName, method: method, path: here, depth: depth + 1)
                }
            }
        }
        for method in descriptors.methods {
            walk(method.inputType, method: method.path, path: [], depth: 0)
        }
        return found
    }

    /// The protobuf encoding of `value` in the field at `path`.
    static func encode(_ path: [(number: Int32, name: String)], type: Google_Protobuf_FieldDescriptorProto.TypeEnum,
                       value: UInt64) -> [UInt8] {
        let varint = ProtobufWire.varint
        func key(_ number: Int32, wireType: UInt64) -> [UInt8] { varint(UInt64(number) << 3 | wireType) }
        let last = path[path.count - 1].number
        var bytes: [UInt8]
        switch type {
        case .fixed32, .sfixed32:
            bytes = key(last, wireType: 5) + withUnsafeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian, Array.init)
        case .fixed64, .sfixed64:
            bytes = key(last, wireType: 1) + withUnsafeBytes(of: value.littleEndian, Array.init)
        default:
            bytes = key(last, wireType: 0) + varint(value)
        }
        for (number, _) in path.dropLast().reversed() {
            bytes = key(number, wireType: 2) + varint(UInt64(bytes.count)) + bytes
        }
        return bytes
    }

    @Test func theDescriptorsListTheIntegerFieldsThatMatter() throws {
        let fields = try Self.integerFields().map(\.description)
        // A guard on the walk itself: these fields were the ones that trapped.
        for expected in ["/tipline.v1.AuditService/GetAuditLog after_sequence", "/tipline.v1.MailboxService/FetchMailbox after_sequence",
                         "/tipline.v1.ResponderService/SyncInbox after_sequence", "/tipline.v1.ResponderService/SetExpiry expires_at",
                         "/tipline.v1.SubmissionService/SubmitTip proof_of_work.counter"] {
            #expect(fields.contains(expected), "\(expected) not found in \(fields)")
        }
        #expect(Set(try Self.integerFields().map(\.method)).isSubset(of: Set(TiplineMethod.all)))
    }

    @Test func everyIntegerFieldAtEveryExtremeIsAnsweredAndTheServerKeepsServing() async throws {
        let fixture = try await ServiceFixture()
        let bundle = try await fixture.publishInitialBundle()
        let (codename, submitted) = try await fixture.submitTip("a tip to aim at", bundle: bundle, attachments: 1)
        let keys = codename.deriveKeys()
        let tipId = Array(submitted.tipID)

        // Base requests that pass authentication and name real records, so
        // the integers reach the code behind the checks.
        // A length-delimited field (numbers under 16, values under 128 bytes).
        func bytesField(_ number: UInt8, _ value: [UInt8]) -> [UInt8] { [number << 3 | 2, UInt8(value.count)] + value }
        enum Signer { case none, responder, mailbox }
        let base: [String: (body: [UInt8], signer: Signer)] = [
            TiplineMethod.syncInbox: ([], .responder),
            TiplineMethod.downloadAttachment: ([], .responder),
            TiplineMethod.appendTriageEvent: (bytesField(1, tipId), .responder),
            TiplineMethod.postReply: (bytesField(1, tipId), .responder),
            TiplineMethod.setExpiry: (bytesField(1, tipId), .responder),
            TiplineMethod.purgeExpired: ([], .responder),
            TiplineMethod.fetchMailbox: (bytesField(1, keys.mailboxId), .mailbox),
            TiplineMethod.postFollowUp: (bytesField(1, keys.mailboxId), .mailbox),
        ]

        let fields = try Self.integerFields()
        var calls = 0
        for field in fields {
            for value in Self.extremes {
                let (prefix, signer) = base[field.method] ?? ([], .none)
                // Protobuf keeps the last value of a repeated scalar field, so
                // the extreme appended here is the one the server decodes.
                let body = prefix + Self.encode(field.path, type: field.type, value: value)
                var metadata = Metadata()
                switch signer {
                case .none: break
                case .responder: metadata = sign(field.method, body, reference: fixture.alice.sign.publicKey.keyId.bytes,
                                                 key: fixture.alice.sign, server: fixture.identity.publicKey.keyId,
                                                 now: fixture.clock.read())
                case .mailbox: metadata = sign(field.method, body, reference: keys.mailboxId, key: keys.mailboxKey,
                                               server: fixture.identity.publicKey.keyId, now: fixture.clock.read())
                }
                // Unknown fields survive a round trip, so Empty carries the exact bytes.
                let request = try Google_Protobuf_Empty(serializedBytes: body)
                do {
                    if field.method == TiplineMethod.uploadAttachment {
                        _ = try await fixture.client.rpc.clientStreaming(field.method, requests: AsyncStream<Google_Protobuf_Empty> { $0.yield(request); $0.finish() },
                                                                         as: Google_Protobuf_Empty.self, metadata: metadata)
                    } else if [TiplineMethod.syncInbox, TiplineMethod.downloadAttachment, TiplineMethod.getAuditLog].contains(field.method) {
                        for try await _ in try await fixture.client.rpc.serverStreaming(field.method, request, as: Google_Protobuf_Empty.self,
                                                                                        metadata: metadata) {}
                    } else {
                        _ = try await fixture.client.rpc.unary(field.method, request, as: Google_Protobuf_Empty.self, metadata: metadata)
                    }
                } catch let error as RPCError {
                    // Any status is an answer; a dropped connection is not.
                    #expect(error.status != .unavailable, "\(field) = \(value): \(error)")
                }
                calls += 1
                // Still serving: a plain call on the same connection works.
                _ = try await fixture.client.listBundles()
            }
        }
        #expect(calls == fields.count * Self.extremes.count && fields.count >= 8, "\(calls) calls over \(fields.map(\.description))")
        // Out-of-range sequence numbers are refused by name, not served or trapped on.
        do {
            _ = try await fixture.client.auditLog(after: 1 << 63)
            Issue.record("after_sequence 2^63 was accepted")
        } catch let error as RPCError {
            #expect(error.status == .invalidArgument && error.message.contains("after_sequence"), "\(error)")
        }
        await fixture.tearDown()
    }

    /// A signed request whose time is near 2^64 once trapped in `time + window`.
    @Test func aRequestTimeNearTheTopOfUInt64IsRefusedAndTheServerKeepsServing() async throws {
        let fixture = try await ServiceFixture()
        _ = try await fixture.publishInitialBundle()
        for time in [UInt64.max, UInt64.max - 1, UInt64.max - 300, 0] {
            let metadata = sign(TiplineMethod.purgeExpired, [], reference: fixture.alice.sign.publicKey.keyId.bytes,
                                key: fixture.alice.sign, server: fixture.identity.publicKey.keyId, now: time)
            do {
                _ = try await fixture.client.rpc.unary(TiplineMethod.purgeExpired, Google_Protobuf_Empty(), as: Google_Protobuf_Empty.self,
                                                       metadata: metadata)
                Issue.record("a request signed at \(time) was accepted")
            } catch let error as RPCError {
                #expect(error.status == .unauthenticated, "\(time): \(error)")
            }
            _ = try await fixture.client.listBundles()
        }
        await fixture.tearDown()
    }

    /// Metadata signing `body` for `method` as PROTOCOL.md §16 says, at `now`.
    func sign(_ method: String, _ body: [UInt8], reference: [UInt8], key: SigningKeyPair, server: KeyId, now: UInt64) -> Metadata {
        TiplineConnection.signatureMetadata(method: method, server: server, body: body, keyReference: reference, key: key, time: now)
    }
}
