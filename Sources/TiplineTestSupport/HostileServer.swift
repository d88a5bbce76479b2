import Foundation
import SwiftProtobuf
import TiplineProto
import TiplineRPC

/// A server that answers every Tipline method the way a hostile one would,
/// for tests of the clients (the library and the built `tip` and `tipline`):
///
/// - `.extremeIntegers(v)`: every integer field of every response, nested
///   ones included (found by walking the descriptors), holds `v`, and every
///   bytes field 32 bytes of 0xAB; streams send three such messages.
/// - `.failure(status, message)`: every call ends with that status and
///   message, so the message's bytes reach the client's error printer.
///
/// Methods in `passThrough` are forwarded to a real server instead, so that a
/// client gets past its bundle check (the organisation's signature cannot be
/// forged) and meets the hostile answers behind it.
public enum HostileServer {
    public enum Answer: Sendable {
        case extremeIntegers(UInt64)
        case failure(RPCStatus, String)
    }

    /// A message of `type` whose every integer field, at any depth up to 3, holds `value`.
    public static func extremeMessage(_ type: String, value: UInt64, descriptors: ProtoDescriptors, depth: Int = 0) -> [UInt8] {
        guard depth < 4, let message = descriptors.messages[type] else { return [] }
        var out: [UInt8] = []
        for field in message.field {
            switch field.type {
            case .fixed32, .sfixed32:
                out += ProtobufWire.field(field.number, fixed: value, .fixed32)
            case .fixed64, .sfixed64:
                out += ProtobufWire.field(field.number, fixed: value, .fixed64)
            case let type where ProtoDescriptors.integerTypes.contains(type):
                out += ProtobufWire.field(field.number, varint: value)
            case .message:
                out += ProtobufWire.field(field.number, extremeMessage(field.typeName, value: value, descriptors: descriptors, depth: depth + 1))
            case .bytes:
                out += ProtobufWire.field(field.number, [UInt8](repeating: 0xAB, count: 32))
            default:
                break
            }
        }
        return out
    }

    /// A server in front of a real one that forwards every unary method, but
    /// answers `GetBundle` with the real bundle and `receivingKeys` in place
    /// of the real receiving keys: a server that withholds keys (`[]`) or
    /// offers forged, expired or misbound ones (issue 15).
    public static func startServingReceivingKeys(_ receivingKeys: @escaping @Sendable ([[UInt8]]) -> [[UInt8]],
                                                 upstreamPort: Int) async throws -> RPCServer {
        let descriptors = try ProtoDescriptors()
        var table = MethodTable()
        for method in descriptors.methods where !method.clientStreaming && !method.serverStreaming {
            let path = method.path
            if path == TiplineMethod.getBundle {
                table.register(path, .unary(Tipline_V1_GetBundleRequest.self, Tipline_V1_GetBundleResponse.self) { request, _ in
                    let upstream = try await RPCClient.connect(host: "127.0.0.1", port: upstreamPort)
                    defer { Task { await upstream.close() } }
                    var answer = try await upstream.unary(path, request, as: Tipline_V1_GetBundleResponse.self)
                    answer.receivingKeys = receivingKeys(answer.receivingKeys.map { Array($0) }).map { Data($0) }
                    return answer
                })
                continue
            }
            table.register(path, .unary(Google_Protobuf_Empty.self, Google_Protobuf_Empty.self) { request, _ in
                let upstream = try await RPCClient.connect(host: "127.0.0.1", port: upstreamPort)
                defer { Task { await upstream.close() } }
                return try await upstream.unary(path, request, as: Google_Protobuf_Empty.self)
            })
        }
        return try await RPCServer.start(host: "127.0.0.1", port: 0, methods: table)
    }

    public static func start(_ answer: Answer, passThrough: Set<String> = [], upstreamPort: Int? = nil) async throws -> RPCServer {
        let descriptors = try ProtoDescriptors()
        var table = MethodTable()
        for method in descriptors.methods {
            if passThrough.contains(method.path), let upstreamPort, !method.clientStreaming, !method.serverStreaming {
                let path = method.path
                // Unknown fields survive in Empty, so it carries the exact bytes both ways.
                table.register(path, .unary(Google_Protobuf_Empty.self, Google_Protobuf_Empty.self) { request, _ in
                    let upstream = try await RPCClient.connect(host: "127.0.0.1", port: upstreamPort)
                    defer { Task { await upstream.close() } }
                    return try await upstream.unary(path, request, as: Google_Protobuf_Empty.self)
                })
                continue
            }
            let reply: Google_Protobuf_Empty
            switch answer {
            case .extremeIntegers(let value):
                reply = try Google_Protobuf_Empty(serializedBytes: extremeMessage(method.outputType, value: value, descriptors: descriptors))
            case .failure:
                reply = Google_Protobuf_Empty()
            }
            let failure: RPCError? = if case .failure(let status, let message) = answer { RPCError(status, message) } else { nil }
            if method.serverStreaming {
                table.register(method.path, .serverStreaming(Google_Protobuf_Empty.self, Google_Protobuf_Empty.self) { _, writer, _ in
                    if let failure { throw failure }
                    for _ in 0..<3 { try await writer.write(reply) }
                })
            } else if method.clientStreaming {
                table.register(method.path, .clientStreaming(Google_Protobuf_Empty.self, Google_Protobuf_Empty.self) { requests, _ in
                    if let failure { throw failure }
                    for try await _ in requests {}
                    return reply
                })
            } else {
                table.register(method.path, .unary(Google_Protobuf_Empty.self, Google_Protobuf_Empty.self) { _, _ in
                    if let failure { throw failure }
                    return reply
                })
            }
        }
        return try await RPCServer.start(host: "127.0.0.1", port: 0, methods: table)
    }
}
