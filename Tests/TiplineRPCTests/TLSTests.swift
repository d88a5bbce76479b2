import Foundation
import SwiftProtobuf
import Testing
import TiplineRPC

/// TLS round trips with a certificate made for the test by the openssl CLI.
@Suite struct TLSTests {
    struct Certificate {
        let directory: String
        var certificate: String { directory + "/cert.pem" }
        var key: String { directory + "/key.pem" }
    }

    static func makeCertificate(commonName: String = "localhost") throws -> Certificate {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem", "-days", "1",
                             "-subj", "/CN=\(commonName)", "-addext", "subjectAltName=DNS:\(commonName),IP:127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw RPCError(.internal, "openssl failed") }
        return Certificate(directory: dir)
    }

    @Test func roundTripTrustingTheCertificateAsCA() async throws {
        let cert = try Self.makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: cert.directory) }
        let server = try await TestService().start(tls: ServerTLS(certificateChainFile: cert.certificate, privateKeyFile: cert.key))
        let client = try await RPCClient.connect(host: "127.0.0.1", port: server.port,
                                                 tls: .trusting(caFile: cert.certificate, serverHostname: "localhost"))
        let reply = try await client.unary(TestService.echo, Google_Protobuf_UInt64Value(42), as: Google_Protobuf_UInt64Value.self)
        #expect(reply.value == 42)
        await client.close()
        await server.shutdown()
    }

    @Test func roundTripWithAPinnedCertificate() async throws {
        let cert = try Self.makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: cert.directory) }
        let server = try await TestService().start(tls: ServerTLS(certificateChainFile: cert.certificate, privateKeyFile: cert.key))
        let client = try await RPCClient.connect(host: "127.0.0.1", port: server.port, tls: .pinning(certificateFile: cert.certificate))
        let reply = try await client.unary(TestService.echo, Google_Protobuf_UInt64Value(7), as: Google_Protobuf_UInt64Value.self)
        #expect(reply.value == 7)
        await client.close()
        await server.shutdown()
    }

    @Test func anotherCertificateIsRefused() async throws {
        let real = try Self.makeCertificate(), other = try Self.makeCertificate()
        defer {
            try? FileManager.default.removeItem(atPath: real.directory)
            try? FileManager.default.removeItem(atPath: other.directory)
        }
        let server = try await TestService().start(tls: ServerTLS(certificateChainFile: real.certificate, privateKeyFile: real.key))
        for tls in [try ClientTLS.pinning(certificateFile: other.certificate),
                    try ClientTLS.trusting(caFile: other.certificate, serverHostname: "localhost")] {
            let error = await #expect(throws: RPCError.self) {
                let client = try await RPCClient.connect(host: "127.0.0.1", port: server.port, tls: tls)
                defer { Task { await client.close() } }
                _ = try await client.unary(TestService.echo, Google_Protobuf_UInt64Value(1), as: Google_Protobuf_UInt64Value.self,
                                           timeout: .seconds(5))
            }
            #expect(error?.status == .unavailable)
        }
        await server.shutdown()
    }
}
