import NIOSSL

/// TLS for the server: a certificate chain and its private key, both PEM.
/// Behind a Tor onion service TLS is optional, because Tor already encrypts
/// and authenticates the connection.
public struct ServerTLS: Sendable {
    let context: NIOSSLContext

    public init(certificateChainFile: String, privateKeyFile: String) throws {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificateChainFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        context = try NIOSSLContext(configuration: configuration)
    }
}
