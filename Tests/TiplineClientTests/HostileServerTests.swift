import Foundation
import SwiftProtobuf
import Testing
import TiplineClient
import TiplineCrypto
import TiplineProto
import TiplineRPC

/// Issue 12 item 1, the client side: a hostile server answers every method
/// with every integer field of its response (nested ones too, found by
/// walking the generated descriptors) set to 0, 2^31, 2^63−1, 2^63 or
/// 2^64−1. Every client operation must return or throw a typed error; none
/// may trap (a trap would take this test process down).
@Suite(.serialized) struct HostileServerTests {
    static let extremes: [UInt64] = [0, 1 << 31, UInt64(Int64.max), 1 << 63, UInt64.max]

    static func descriptors() throws -> Google_Protobuf_FileDescriptorSet {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/TiplineProto/Generated/tipline_v1.protoset")
        return try Google_Protobuf_FileDescriptorSet(serializedBytes: try Data(contentsOf: url))
    }

    static let integerTypes: Set<Google_Protobuf_FieldDescriptorProto.TypeEnum> = [
        .uint32, .uint64, .int32, .int64, .sint32, .sint64, .fixed32, .fixed64, .sfixed32, .sfixed64, .enum,
    ]

    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value, out: [UInt8] = []
        repeat {
            out.append(UInt8(v & 0x7F) | (v > 0x7F ? 0x80 : 0))
            v >>= 7
        } while v != 0
        return out
    }

    /// A message of `type` whose every integer field, at any depth up to 3,
    /// holds `value`; bytes fields get 32 bytes, so that ids look plausible.
    static func hostile(_ type: String, value: UInt64, messages: [String: Google_Protobuf_DescriptorProto],
                        depth: Int = 0) -> [UInt8] {
        guard depth < 4, let message = messages[type] else { return [] }
        var out: [UInt8] = []
        for field in message.field {
            let number = UInt64(field.number)
            switch field.type {
            case .fixed32, .sfixed32:
                out += varint(number << 3 | 5) + withUnsafeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian, Array.init)
            case .fixed64, .sfixed64:
                out += varint(number << 3 | 1) + withUnsafeBytes(of: value.littleEndian, Array.init)
            case let t where integerTypes.contains(t):
                out += varint(number << 3) + varint(value)
            case .message:
                let inner = hostile(field.typeName, value: value, messages: messages, depth: depth + 1)
                out += varint(number << 3 | 2) + varint(UInt64(inner.count)) + inner
            case .bytes:
                out += varint(number << 3 | 2) + varint(32) + [UInt8](repeating: 0xAB, count: 32)
            default:
                break
            }
        }
        return out
    }

    /// A server whose every method answers with hostile responses.
    static func hostileServer(value: UInt64) async throws -> RPCServer {
        let set = try descriptors()
        var messages: [String: Google_Protobuf_DescriptorProto] = [:]
        for file in set.file {
            func add(_ message: Google_Protobuf_DescriptorProto, prefix: String) {
                messages[prefix + "." + message.name] = message
                for nested in message.nestedType { add(nested, prefix: prefix + "." + message.name) }
            }
            for message in file.messageType { add(message, prefix: "." + file.package) }
        }
        var table = MethodTable()
        for file in set.file {
            for service in file.service {
                for method in service.method {
                    let path = "/\(file.package).\(service.name)/\(method.name)"
                    // Unknown fields survive in Empty, so it carries the exact bytes.
                    let answer = try Google_Protobuf_Empty(serializedBytes: hostile(method.outputType, value: value, messages: messages))
                    if method.serverStreaming {
                        table.register(path, .serverStreaming(Google_Protobuf_Empty.self, Google_Protobuf_Empty.self) { _, writer, _ in
                            for _ in 0..<3 { try await writer.write(answer) }
                        })
                    } else if method.clientStreaming {
                        table.register(path, .clientStreaming(Google_Protobuf_Empty.self, Google_Protobuf_Empty.self) { requests, _ in
                            for try await _ in requests {}
                            return answer
                        })
                    } else {
                        table.register(path, .unary(Google_Protobuf_Empty.self, Google_Protobuf_Empty.self) { _, _ in answer })
                    }
                }
            }
        }
        return try await RPCServer.start(host: "127.0.0.1", port: 0, methods: table)
    }

    @Test func everyClientOperationSurvivesExtremeIntegersFromAServer() async throws {
        let responder = SigningKeyPair()
        let organisation = SigningKeyPair()
        let keys = Codename().deriveKeys()
        var outcomes: [String] = []
        for value in Self.extremes {
            let server = try await Self.hostileServer(value: value)
            let client = try await TiplineConnection.connect(host: "127.0.0.1", port: server.port)
            let operations: [(String, () async throws -> Void)] = [
                ("fetchBundle", { _ = try await client.fetchBundle(pinned: Fingerprint(organisationKey: organisation.publicKey)) }),
                ("listBundles", { _ = try await client.listBundles() }),
                ("proofOfWork", { _ = try await client.proofOfWork(for: [1, 2, 3], purpose: .submitTip) { _, _ in true } }),
                ("syncInbox", { _ = try await client.syncInbox(after: 0, as: responder) }),
                ("downloadAttachment", { try await client.downloadAttachment(id: [1], as: responder) { _ in } }),
                ("appendTriageEvent", { _ = try await client.appendTriageEvent(tipId: [1], envelope: [2], as: responder) }),
                ("postReply", { _ = try await client.postReply(tipId: [1], envelope: [2], as: responder) }),
                ("setExpiry", { _ = try await client.setExpiry(tipId: [1], expiresAt: 5, as: responder) }),
                ("purgeExpired", { _ = try await client.purgeExpired(as: responder) }),
                ("fetchMailbox", { _ = try await client.fetchMailbox(keys) }),
                ("auditLog", { _ = try await client.auditLog() }),
                ("auditHead", { _ = try await client.auditHead() }),
            ]
            for (name, operation) in operations {
                do {
                    try await operation()
                    outcomes.append("\(name) \(value): returned")
                } catch {
                    // A typed error, with words a person can read.
                    #expect(!"\(error)".isEmpty)
                    outcomes.append("\(name) \(value): \(type(of: error))")
                }
            }
            await client.close()
            await server.shutdown()
        }
        #expect(outcomes.count == Self.extremes.count * 12)
    }
}
