import GRPCCore

/// gRPC's side of the echo server. Generated code would declare a service
/// protocol and a default `registerMethods(with:)`; for one method the
/// registration alone is enough. It goes through the same
/// `StreamingServerRequest` → `ServerRequest` → `StreamingServerResponse`
/// path as generated unary code, so the server does the work it would do for
/// a generated service.
struct GRPCEchoService: RegistrableRPCService {
    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: EchoMethod.descriptor,
            deserializer: EchoMethod.deserializer,
            serializer: EchoMethod.serializer
        ) { request, _ in
            let single = try await ServerRequest(stream: request)
            return StreamingServerResponse(single: ServerResponse(message: single.message))
        }
    }
}
