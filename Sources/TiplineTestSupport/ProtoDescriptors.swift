import Foundation
import SwiftProtobuf

/// The generated descriptors of proto/tipline/v1 (the committed
/// `tipline_v1.protoset`), so that tests walk every field of every message
/// instead of trusting a hand-written list that goes stale.
public struct ProtoDescriptors: Sendable {
    /// Every integer scalar type, enums included: what a hostile peer sets to extremes.
    public static let integerTypes: Set<Google_Protobuf_FieldDescriptorProto.TypeEnum> = [
        .uint32, .uint64, .int32, .int64, .sint32, .sint64, .fixed32, .fixed64, .sfixed32, .sfixed64, .enum,
    ]

    public let fileSet: Google_Protobuf_FileDescriptorSet
    /// Messages by full name with a leading dot (".tipline.v1.AuditEntry"), nested ones included.
    public let messages: [String: Google_Protobuf_DescriptorProto]

    /// One method of a service, with its path as the RPC layer names it.
    public struct Method: Sendable {
        public let path: String
        public let inputType: String
        public let outputType: String
        public let clientStreaming: Bool
        public let serverStreaming: Bool
    }

    public var methods: [Method] {
        fileSet.file.flatMap { file in
            file.service.flatMap { service in
                service.method.map {
                    Method(path: "/\(file.package).\(service.name)/\($0.name)", inputType: $0.inputType, outputType: $0.outputType,
                           clientStreaming: $0.clientStreaming, serverStreaming: $0.serverStreaming)
                }
            }
        }
    }

    /// Loads the protoset from the source tree (tests run from a checkout).
    public init() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TiplineProto/Generated/tipline_v1.protoset")
        fileSet = try Google_Protobuf_FileDescriptorSet(serializedBytes: try Data(contentsOf: url))
        var messages: [String: Google_Protobuf_DescriptorProto] = [:]
        for file in fileSet.file {
            func add(_ message: Google_Protobuf_DescriptorProto, prefix: String) {
                let name = prefix + "." + message.name
                messages[name] = message
                for nested in message.nestedType { add(nested, prefix: name) }
            }
            for message in file.messageType { add(message, prefix: "." + file.package) }
        }
        self.messages = messages
    }
}
