import Foundation
import Glibc
import TiplineClient
import TiplineCommandLine
import TiplineCrypto
import TiplineRPC

/// The connection `tip submit`, `check` and `resend` share: the server
/// address and organisation fingerprint, the warning before a direct
/// connection, and the bundle verified against the fingerprint.
///
/// Guided, it asks for what the command line left out, and when a step
/// fails it says why in the tipster's language and asks that question
/// again: an unreachable server asks for the address, an impostor or a
/// typo for the fingerprint (issue 14). All of this happens before the
/// tipster writes a word of their story.
struct TipsterConnection {
    var options: ConnectionOptions
    var org: String?
    let direct: Bool
    let guided: Bool
    /// A direct connection to this host was accepted already.
    private var acceptedDirect: String?

    init(options: ConnectionOptions, org: String?, direct: Bool, guided: Bool) {
        self.options = options
        self.org = org
        self.direct = direct
        self.guided = guided
    }

    /// The pinned fingerprint, the live connection, the verified bundle, and
    /// the receiving-key statements served with it (unverified; sealing
    /// chooses among them, PROTOCOL.md §3.5).
    mutating func open() async throws -> (pinned: Fingerprint, client: TiplineConnection, bundle: KeyBundle,
                                          receivingKeys: [[UInt8]]) {
        while true {
            let pinned = try fingerprint()
            let address = try serverAddress()
            try checkRoute(address)
            if guided { Console.error(L("connect.connecting")) }
            do {
                let client = try await options.connect()
                do {
                    let fetched = try await client.fetchBundleAndReceivingKeys(pinned: pinned)
                    if guided { Console.error(L("connect.verified")) }
                    return (pinned, client, fetched.bundle, fetched.receivingKeys)
                } catch {
                    await client.close()
                    throw error
                }
            } catch {
                let failure = TipsterWords.failure(error)
                guard guided else { throw failure }
                Console.error(Console.styled(failure.message, code: "31;1"))
                switch failure.code {
                case .usage:
                    // A malformed --proxy (or another option) is not fixed by trying again.
                    throw failure
                case .untrusted:
                    org = nil
                case .unreachable:
                    guard Prompt.confirm(L("ask.retry")) else { throw failure }
                    askServer(initial: options.server ?? "")
                default:
                    guard Prompt.confirm(L("ask.retry")) else { throw failure }
                }
            }
        }
    }

    /// A new connection to the same server, for a retry after the old one broke.
    func reconnect() async throws -> TiplineConnection {
        try await options.connect()
    }

    private mutating func fingerprint() throws -> Fingerprint {
        while true {
            if let org {
                do { return try Fingerprint(typed: org, from: "--org") } catch {
                    guard guided else { throw error }
                    Console.error(L("error.fingerprint"))
                }
            } else if !guided {
                throw ToolFailure(.usage, L("error.noOrg"), localized: true)
            }
            guard let typed = Prompt.line(L("ask.fingerprint") + " ", initial: org ?? "") else {
                throw ToolFailure(.failure, L("notSent"), localized: true)
            }
            org = typed
        }
    }

    private mutating func serverAddress() throws -> ServerAddress {
        while true {
            do { return try options.address() } catch {
                guard guided else { throw error }
                if options.server != nil { Console.error(L("error.address")) }
                askServer(initial: options.server ?? "")
            }
        }
    }

    private mutating func askServer(initial: String) {
        options.server = Prompt.line(L("ask.server") + " ", initial: initial)?.trimmingCharacters(in: .whitespaces) ?? ""
    }

    /// Connecting directly shows the tipster's network address to the server
    /// and to whoever watches the network. Warn first; go on only if the user
    /// says so (a prompt when guided, `--direct` otherwise).
    private mutating func checkRoute(_ address: ServerAddress) throws {
        guard !(try options.route().hidesAddress), !address.isLoopback, !direct, acceptedDirect != address.host else { return }
        Console.error(Console.styled(L("direct.warning"), code: "33;1"))
        if guided, Prompt.confirm(L("direct.confirm")) {
            acceptedDirect = address.host
            return
        }
        throw ToolFailure(.usage, L("direct.refused"), localized: true)
    }
}
