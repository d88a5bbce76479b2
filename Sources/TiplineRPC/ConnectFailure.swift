import Foundation
import NIOCore
import NIOPosix

/// Why a TCP connection could not be made, in a few words a person can act
/// on ("connection refused", "timed out"), for the end of "could not
/// connect to the server". Built from the errno or the kind of failure,
/// never from NIO's descriptions, which name the address.
enum ConnectFailure {
    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return reason(first.error) }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "the name did not resolve" }
            return "no address to try"
        case ChannelError.connectTimeout:
            return "timed out"
        default:
            return String(describing: type(of: error))
        }
    }
}
