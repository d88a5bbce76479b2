import Foundation
import TiplineClient
import TiplineCommandLine
import TiplineCrypto

/// What `tip submit` and `tip check` share: the warning before a direct connection, the
/// connection, and the bundle verified against the organisation fingerprint.
enum TipsterConnection {
    /// Connecting directly shows the tipster's network address to the server
    /// and to whoever watches the network. Warn first; go on only if the user
    /// says so (a prompt when interactive, `--direct` otherwise).
    static func checkRoute(_ options: ConnectionOptions, direct: Bool, interactive: Bool) throws {
        let address = try options.address()
        guard !(try options.route().hidesAddress), !address.isLoopback else { return }
        Console.warning("""
            you are about to connect to \(address.host) directly, without Tor.
              The server, and anyone watching this network, would see this device's address.
              \(TorText.useTor)
            """)
        if direct { return }
        if interactive, Prompt.confirm("Connect directly anyway?") { return }
        throw ToolFailure(.usage, "not connecting without a proxy; pass --direct to accept the risk")
    }

    /// The organisation fingerprint the tipster gave, read before anything
    /// is sent: a typo is caught here by the check symbol, with its own
    /// message, and never reaches the server as an "impostor".
    static func pinned(_ org: String) throws -> Fingerprint {
        try Fingerprint(typed: org, from: "--org")
    }

    static func bundle(over connection: TiplineConnection, pinned: Fingerprint) async throws -> KeyBundle {
        do {
            return try await TrustedBundles.current(over: connection, pinned: pinned).bundle
        } catch KeyBundleError.wrongOrganisation {
            throw ToolFailure(.untrusted, """
                refusing to send: this server is not your organisation's.
                  Its keys are signed by another organisation than the fingerprint you gave, and that fingerprint has
                  no typo (its check symbol matches). Do not use this server: get its address and the fingerprint
                  again from your organisation, over a channel you trust.
                """)
        } catch let error as KeyBundleError {
            throw ToolFailure(.untrusted, """
                refusing to send: the server's key bundle failed verification (\(error)).
                  Check the organisation fingerprint you were given; if it is right, this server may not be genuine.
                """)
        }
    }
}
