import NIOSSL

/// How the client authenticates the server over TLS: by a CA it trusts, or by
/// pinning the server's exact certificate (for self-signed deployments).
public struct ClientTLS: Sendable {
    let context: NIOSSLContext
    let pinnedCertificateDER: [UInt8]?
    let serverHostname: String?

    /// Trust certificates issued by the CA in `caFile` (PEM), checking `serverHostname`.
    public static func trusting(caFile: String, serverHostname: String) throws -> ClientTLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(caFile)
        configuration.minimumTLSVersion = .tlsv12
        return ClientTLS(context: try NIOSSLContext(configuration: configuration), pinnedCertificateDER: nil,
                         serverHostname: serverHostname)
    }

    /// Accept only the server whose leaf certificate is exactly the one in `certificateFile` (PEM).
    public static func pinning(certificateFile: String) throws -> ClientTLS {
        guard let pinned = try NIOSSLCertificate.fromPEMFile(certificateFile).first else {
            throw RPCError(.invalidArgument, "no certificate in \(certificateFile)")
        }
        var configuration = TLSConfiguration.makeClientConfiguration()
        // Verification must stay on: with `.none`, NIOSSL never calls the
        // custom callback and any certificate would pass. The callback below
        // replaces the CA check and accepts exactly the pinned certificate.
        configuration.certificateVerification = .noHostnameVerification
        configuration.minimumTLSVersion = .tlsv12
        return ClientTLS(context: try NIOSSLContext(configuration: configuration),
                         pinnedCertificateDER: try pinned.toDERBytes(), serverHostname: nil)
    }

    func makeHandler() throws -> NIOSSLClientHandler {
        guard let pinned = pinnedCertificateDER else {
            return try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
        }
        return try NIOSSLClientHandler(context: context, serverHostname: nil) { chain, promise in
            let leaf = chain.first.flatMap { try? $0.toDERBytes() }
            promise.succeed(leaf == pinned ? .certificateVerified : .failed)
        }
    }
}
