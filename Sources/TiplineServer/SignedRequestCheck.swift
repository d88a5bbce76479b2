import TiplineCrypto
import TiplineRPC
import TiplineStore

/// Checks a signed request (PROTOCOL.md §16) against the bundle in force:
/// metadata present and well formed, time within the window, nonce unseen,
/// signature valid.
extension TipService {
    func signature(in context: CallContext) throws -> RequestSignature {
        guard let key = context.metadata["tl-key"], let timeBytes = context.metadata["tl-time"], timeBytes.count == 8,
              let nonce = context.metadata["tl-nonce"], nonce.count == RequestSignature.nonceByteCount,
              let signature = context.metadata["tl-signature"], signature.count == SigningKeyPair.signatureByteCount
        else { throw RPCError(.unauthenticated, "the request is not signed") }
        let time = timeBytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return RequestSignature(keyReference: key, time: time, nonce: nonce, signature: signature)
    }

    /// Verifies `signature` with `key` for this server, then the time
    /// window and replays, in memory and then durably.
    func verify(_ signature: RequestSignature, key: SigningPublicKey, context: CallContext) async throws {
        guard signature.isValid(method: context.method, server: identity.publicKey.keyId, body: context.requestBytes,
                                publicKey: key) else {
            throw RPCError(.unauthenticated, "the request signature is not valid for this server")
        }
        let now = clock()
        let window = configuration.requestWindow
        guard WireInteger.within(signature.time, of: now, window: window) else {
            throw RPCError(.unauthenticated, "the request's time is outside the accepted window; check the clock")
        }
        let token = [0x01] + signature.keyReference + signature.nonce
        guard replays.insert(token, now: now) else {
            throw RPCError(.unauthenticated, "the request was replayed")
        }
        do { try await store.spend(token, until: now + replays.retention, now: now) } catch StoreError.alreadySpent {
            throw RPCError(.unauthenticated, "the request was replayed")
        } catch let error as StoreError {
            throw error.rpcError
        }
    }

    /// The responder who signed this call, checked against the bundle in force.
    /// A responder removed by a newer bundle is refused from the moment it is published.
    func authenticateResponder(_ context: CallContext) async throws -> Responder {
        let signature = try signature(in: context)
        let current = try currentBundle()
        guard let keyId = KeyId(bytes: signature.keyReference), let responder = current.bundle.responder(id: keyId) else {
            throw RPCError(.permissionDenied, "the signing key is not a responder in the current key bundle")
        }
        try await verify(signature, key: responder.signingKey, context: context)
        return responder
    }

    /// The mailbox a tipster's call is signed for, with its key from the store.
    func authenticateMailbox(_ context: CallContext, mailboxId: [UInt8]) async throws -> [UInt8] {
        let signature = try signature(in: context)
        guard signature.keyReference == mailboxId,
              let mailbox = try await store.mailbox(id: mailboxId), let key = SigningPublicKey(bytes: mailbox.key)
        else { throw RPCError(.unauthenticated, "unknown mailbox or wrong codename") }
        try await verify(signature, key: key, context: context)
        return mailbox.tipId
    }
}
