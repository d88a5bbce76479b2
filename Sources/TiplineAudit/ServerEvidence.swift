import TiplineClient
import TiplineProto
import TiplineRPC
import TiplineStore

/// What the server says about itself, fetched over RPC before any check
/// runs, so that every check judges the same answers. Each answer is kept
/// with its error: a refused call (no bundle published yet) is a finding for
/// the check that needs it; only a lost connection stops the audit.
struct ServerEvidence: Sendable {
    /// GetBundle: the signed bundle in force.
    let bundleInForce: Result<[UInt8], any Error>
    /// ListBundles: every signed bundle published, in publication order.
    let publishedBundles: Result<[[UInt8]], any Error>
    /// GetAuditLog from the start.
    let auditLog: Result<[Tipline_V1_AuditEntry], any Error>
    /// GetAuditHead.
    let auditHead: Result<AuditHead, any Error>

    /// Rounds of "the head moved past the log, fetch the rest" before giving up.
    static let catchUpRounds = 3

    static func fetch(from connection: TiplineConnection) async throws(ServerUnreachable) -> ServerEvidence {
        let bundle = try await answer {
            Array(try await connection.rpc.unary(TiplineMethod.getBundle, Tipline_V1_GetBundleRequest(),
                                                 as: Tipline_V1_GetBundleResponse.self).signedBundle)
        }
        let published = try await answer { try await connection.listBundles() }
        // The log first, then the head: a live server may append in between,
        // so the head can be ahead of the log, and then the rest of the log
        // is fetched. A head behind the log it was fetched after is a real
        // finding (entries the server never signed), never a race.
        var log = try await answer { try await connection.auditLog() }
        var head = try await answer { try await connection.auditHead() }
        for _ in 0..<catchUpRounds {
            guard case .success(let entries) = log, case .success(let signed) = head,
                  signed.sequence > (entries.last?.sequence ?? 0) else { break }
            let more = try await answer { try await connection.auditLog(after: entries.last?.sequence ?? 0) }
            log = more.map { entries + $0 }
            head = try await answer { try await connection.auditHead() }
        }
        return ServerEvidence(bundleInForce: bundle, publishedBundles: published, auditLog: log,
                              auditHead: head.map { AuditHead(sequence: $0.sequence, headHash: Array($0.headHash),
                                                              time: $0.time, signature: Array($0.signature)) })
    }

    /// One call's answer or refusal; a lost or refused connection ends the audit.
    private static func answer<T>(_ call: () async throws -> T) async throws(ServerUnreachable) -> Result<T, any Error> {
        do {
            return .success(try await call())
        } catch let error as RPCError where error.status == .unavailable || error.status == .cancelled {
            throw ServerUnreachable(error.message)
        } catch {
            return .failure(error)
        }
    }
}
