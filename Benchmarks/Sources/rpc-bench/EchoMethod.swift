import Foundation
import GRPCCore
import GRPCProtobuf
import SwiftProtobuf

/// The one method both servers answer: a unary echo of a BytesValue. Both
/// stacks use the same path, `/bench.Echo/Unary`, and the same message type
/// with the same protobuf serialisation, so the only difference on the wire
/// is the framing: Tipline's frames against HTTP/2 with gRPC's headers.
///
/// We do not run the gRPC code generator (no `.proto`, no build plugin); this
/// is the hand-written equivalent of the descriptors it would emit.
enum EchoMethod {
    typealias Message = Google_Protobuf_BytesValue

    /// Tipline's method path.
    static let path = "/bench.Echo/Unary"

    static let service = ServiceDescriptor(fullyQualifiedService: "bench.Echo")
    static let descriptor = MethodDescriptor(service: service, method: "Unary", type: .unary)

    static let serializer = ProtobufSerializer<Message>()
    static let deserializer = ProtobufDeserializer<Message>()

    /// The request every call sends. The bytes are not random, but protobuf
    /// does not compress and neither stack is configured to, so their values
    /// do not matter.
    static func payload(bytes: Int) -> Message {
        Message(Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }))
    }
}
