import TiplineClient
import TiplineCrypto
import TiplineRPC

/// An error a tool reports to its user: a message for stderr and the exit
/// code scripts can branch on (README, "Exit codes").
public struct ToolFailure: Error, CustomStringConvertible {
    /// The documented exit codes of `tip` and `tipline`.
    public enum Code: Int32, Sendable {
        /// Something failed that no other code describes.
        case failure = 1
        /// The command line was wrong (ArgumentParser's own code).
        case usage = 2
        /// The server (or the proxy) could not be reached.
        case unreachable = 3
        /// Trust refused: fingerprint mismatch, bad signature, expired or rolled-back bundle.
        case untrusted = 4
        /// The server is busy or refused for a limit; try again later.
        case busy = 5
        /// The server refused the credentials: wrong codename or key, revoked responder.
        case refused = 6
    }

    public let code: Code
    public let message: String
    /// Whether `message` is already in the user's language (``TipsterWords``).
    public let localized: Bool

    public init(_ code: Code, _ message: String, localized: Bool = false) {
        self.code = code
        self.message = message
        self.localized = localized
    }

    public var description: String { message }

    /// The impostor message: the fingerprint given passed its check symbol,
    /// so it is not a typo; the server's keys are someone else's. A typo gets
    /// ``FingerprintError``'s message instead, and exit code 2, not 4.
    public static let notYourOrganisation = """
        this server is not your organisation's: its key bundle is signed by another organisation than the \
        fingerprint you gave, and that fingerprint has no typo (its check symbol matches). Do not trust this \
        server; check its address and the fingerprint with your organisation over a channel you trust.
        """

    /// What to tell the user about an error from the libraries, without
    /// internals: every RPC status and crypto error gets a sentence and a code.
    public static func from(_ error: any Error) -> ToolFailure {
        switch error {
        case let failure as ToolFailure:
            return failure
        case let rpc as RPCError:
            switch rpc.status {
            case .unavailable, .deadlineExceeded:
                if rpc.message.contains("connect") || rpc.message.contains("proxy") {
                    return ToolFailure(.unreachable, "cannot reach the server: \(rpc.message)")
                }
                return ToolFailure(.busy, "the server is busy or going away; try again later (\(rpc.message))")
            case .resourceExhausted:
                return ToolFailure(.busy, "the server refused for a limit: \(rpc.message)")
            case .unauthenticated, .permissionDenied:
                return ToolFailure(.refused, "the server refused: \(rpc.message)")
            default:
                return ToolFailure(.failure, "the server answered \(rpc.status): \(rpc.message)")
            }
        case let selection as RecipientSelectionError:
            // Nobody can receive right now: a state that passes, like a busy server.
            return ToolFailure(.busy, "\(selection)")
        case KeyBundleError.wrongOrganisation:
            return ToolFailure(.untrusted, Self.notYourOrganisation)
        case let bundle as KeyBundleError:
            return ToolFailure(.untrusted, "the key bundle is not trustworthy: \(bundle)")
        case let fingerprint as FingerprintError:
            return ToolFailure(.usage, "\(fingerprint)")
        case let codename as CodenameError:
            return ToolFailure(.refused, "that codename is not valid: \(codename). Check each character.")
        case let responder as ResponderError:
            switch responder {
            case .notInBundle: return ToolFailure(.refused, "\(responder)")
            case .badId: return ToolFailure(.usage, "\(responder)")
            default: return ToolFailure(.failure, "\(responder)")
            }
        case let tooLong as TooLongError:
            return ToolFailure(.usage, "\(tooLong)")
        case let tipster as TipsterError:
            return ToolFailure(tipster == .emptyTip ? .usage : .failure, "\(tipster)")
        case let roster as OrgRosterError:
            return ToolFailure(.failure, "\(roster)")
        case let identity as ResponderIdentityError:
            return ToolFailure(.failure, "\(identity)")
        case let content as ContentError:
            return ToolFailure(.untrusted, "\(content)")
        case let release as ReleaseSignatureError:
            return ToolFailure(.untrusted, "not genuine: \(release)")
        case ReleaseFileError.unreadable(let path, let reason):
            return ToolFailure(.failure, "cannot read \(path): \(reason)")
        case let release as ReleaseFileError:
            return ToolFailure(.untrusted, "\(release)")
        case let keystore as KeystoreError:
            return ToolFailure(.refused, "cannot open the keystore: \(keystore)")
        default:
            return ToolFailure(.failure, "\(error)")
        }
    }
}
