import Foundation
import TiplineCrypto
import TiplineProto
import TiplineRPC
import TiplineStore

extension TipService {
    /// The label of the proof-of-work binding: `H_32(label, envelope)`.
    public static let powBindingLabel = "tipline/v1/pow/binding"

    func registerSubmissionMethods(_ table: inout MethodTable) {
        table.register(TiplineMethod.getChallenge,
                       .unary(Tipline_V1_GetChallengeRequest.self, Tipline_V1_GetChallengeResponse.self) { request, _ in
            guard let purposeByte = UInt8(exactly: request.purpose), let purpose = ProofOfWorkPurpose(rawValue: purposeByte) else {
                throw RPCError(.invalidArgument, "unknown proof-of-work purpose")
            }
            let challenge = self.powIssuer.issue(purpose: purpose, difficulty: self.configuration.proofOfWorkDifficulty,
                                                 now: self.clock(), lifetime: self.configuration.proofOfWorkLifetime)
            return .with { $0.challenge = challenge.encoded.data }
        })
        table.register(TiplineMethod.submitTip, .unary(Tipline_V1_SubmitTipRequest.self, Tipline_V1_SubmitTipResponse.self) { request, _ in
            try await self.submit(request)
        })
        table.register(TiplineMethod.uploadAttachment,
                       .clientStreaming(Tipline_V1_UploadAttachmentRequest.self, Tipline_V1_UploadAttachmentResponse.self) { parts, _ in
            try await self.upload(parts)
        })
    }

    /// Checks an envelope's structure against the bundle in force (never its content).
    func checkEnvelope(_ envelope: [UInt8], kind: EnvelopeKind, current: BundleState.Current) throws -> EnvelopeHeader {
        guard envelope.count <= configuration.maximumEnvelopeSize else {
            throw RPCError(.resourceExhausted, "the envelope is larger than \(configuration.maximumEnvelopeSize) bytes")
        }
        let header = try parseNewEnvelope(envelope)
        // A follow-up may also go to the tipster's own reply key, one more
        // recipient, which the server cannot tell from any other key.
        let rule = ResponderRecipientRule(bundle: current.bundle, receivingKeys: receivingKeys.accepted(now: clock()))
        do { try rule.check(header, kind: kind, context: current.id, extraRecipients: kind == .followUp ? 1 : 0) } catch {
            throw RPCError(.failedPrecondition, "the envelope was not sealed to the current key bundle (\(error)); fetch it again")
        }
        return header
    }

    /// Parses an envelope submitted now, of any kind: it must be well formed
    /// and in the format sealers write today. Format 1 opens for readers
    /// (stored envelopes), but it does not commit to its content key, so a
    /// sender who wanted to show responders different things would choose
    /// it: the server refuses it for anything new (PROTOCOL.md §4.5).
    func parseNewEnvelope(_ envelope: [UInt8]) throws -> EnvelopeHeader {
        let header: EnvelopeHeader
        do { header = try EnvelopeHeader(parsing: envelope) } catch {
            throw RPCError(.invalidArgument, "malformed envelope: \(error)")
        }
        guard header.format == EnvelopeFormat.sealed else {
            throw RPCError(.invalidArgument, """
                envelope \(header.format) is no longer accepted: it does not commit to its content key; \
                seal with \(EnvelopeFormat.sealed) (update the client)
                """)
        }
        return header
    }

    /// Checks a proof of work bound to `envelope`, once in this process;
    /// returns the token that spends it durably (``spendDurably(_:)``, or
    /// in the transaction that stores the tip), so that a restart does not
    /// make it good again.
    func checkProofOfWork(_ proof: Tipline_V1_ProofOfWork, purpose: ProofOfWorkPurpose,
                          envelope: [UInt8]) throws -> (token: [UInt8], until: UInt64) {
        let now = clock()
        do {
            try powIssuer.verify(challenge: Array(proof.challenge), purpose: purpose,
                                 binding: DomainHash.hash(Self.powBindingLabel, envelope), counter: proof.counter, now: now)
        } catch {
            throw RPCError(.resourceExhausted, "proof of work refused: \(error)")
        }
        // A challenge pays for one submission only.
        let token = [0x02] + Array(proof.challenge.suffix(ProofOfWorkChallenge.tagByteCount))
        guard replays.insert(token, now: now) else {
            throw RPCError(.alreadyExists, "this proof of work was already spent")
        }
        return (token, now + replays.retention)
    }

    /// Records a spent proof of work in the store before the call goes on.
    func spendDurably(_ spent: (token: [UInt8], until: UInt64)) async throws {
        do { try await store.spend(spent.token, until: spent.until, now: clock()) } catch let error as StoreError {
            throw error.rpcError
        }
    }

    func submit(_ request: Tipline_V1_SubmitTipRequest) async throws -> Tipline_V1_SubmitTipResponse {
        let current = try currentBundle()
        let envelope = Array(request.envelope)
        let header = try checkEnvelope(envelope, kind: .tip, current: current)
        guard SigningPublicKey(bytes: Array(request.mailboxPublicKey)) != nil else {
            throw RPCError(.invalidArgument, "the mailbox public key must be 32 bytes")
        }
        guard request.attachmentCount <= configuration.maximumAttachmentsPerTip else {
            throw RPCError(.resourceExhausted, "at most \(configuration.maximumAttachmentsPerTip) attachments per tip")
        }
        // A token the client derived from its codename (PROTOCOL.md §6.3)
        // lets it finish its uploads with the codename alone.
        guard request.uploadToken.isEmpty || request.uploadToken.count == 32 else {
            throw RPCError(.invalidArgument, "the upload token must be 32 bytes")
        }
        let spent = try checkProofOfWork(request.proofOfWork, purpose: .submitTip, envelope: envelope)
        let token = request.attachmentCount == 0 ? nil
            : request.uploadToken.isEmpty ? SystemRandom().bytes(32) : Array(request.uploadToken)
        let stored: (id: [UInt8], sequence: UInt64, receivedAt: UInt64)
        do {
            stored = try await store.insertTip(NewTip(
                envelope: envelope, paddedLength: header.paddedLength,
                mailboxId: DomainHash.hash(DomainHash.Label.mailboxId, Array(request.mailboxPublicKey)),
                mailboxKey: Array(request.mailboxPublicKey), bundleVersion: current.bundle.version,
                attachmentSlots: Int(request.attachmentCount), uploadTokenHash: token.map(Self.tokenHash)), now: clock(),
                spending: spent)
        } catch let error as StoreError {
            throw error.rpcError
        }
        return .with {
            $0.tipID = stored.id.data
            $0.receivedAt = stored.receivedAt
            if let token { $0.uploadToken = token.data }
        }
    }

    private func reserve(uploadId: [UInt8], tipId: [UInt8], size: UInt64, now: UInt64) async throws -> UploadReservation {
        do {
            return try await store.reserveUpload(uploadId: uploadId, tipId: tipId, encryptedSize: size,
                                                 stagingQuota: configuration.stagingQuota, now: now)
        } catch let error as StoreError {
            throw error.rpcError
        }
    }

    static func tokenHash(_ token: [UInt8]) -> [UInt8] { DomainHash.hash("tipline/v1/upload-token", token) }

    /// The tip an upload names: by its id, or by its mailbox id for a
    /// tipster who resumes with the codename alone (PROTOCOL.md §14.4). An
    /// unknown mailbox reads as an unknown tip, with the same answer as a
    /// wrong token, so the call tells nobody which mailboxes exist.
    private func tipNamed(by start: Tipline_V1_AttachmentStart) async throws -> [UInt8] {
        switch (start.tipID.count, start.mailboxID.count) {
        case (16, 0):
            return Array(start.tipID)
        case (0, 32):
            return try await store.mailbox(id: Array(start.mailboxID))?.tipId ?? []
        default:
            throw RPCError(.invalidArgument, "name the tip by tip_id or by mailbox_id")
        }
    }

    /// Streams an attachment into staging, chunk by chunk; only a complete,
    /// exactly sized upload becomes an attachment. Anything else leaves nothing.
    func upload(_ parts: RequestStream<Tipline_V1_UploadAttachmentRequest>) async throws -> Tipline_V1_UploadAttachmentResponse {
        var iterator = parts.makeAsyncIterator()
        guard let first = try await iterator.next(), case .start(let start)? = first.part else {
            throw RPCError(.invalidArgument, "an upload starts with AttachmentStart")
        }
        let tipId = try await tipNamed(by: start)
        guard let slot = try await store.uploadSlot(tipId: tipId), let expected = slot.tokenHash,
              SecureBytes(copying: expected).constantTimeEquals(Self.tokenHash(Array(start.uploadToken)))
        else { throw RPCError(.permissionDenied, "unknown tip or wrong upload token") }
        let now = clock()
        // `now - lifetime` only when it cannot underflow.
        guard now < configuration.uploadTokenLifetime || slot.receivedAt >= now - configuration.uploadTokenLifetime else {
            throw RPCError(.permissionDenied,
                           "the upload token has expired: attachments go up within \(configuration.uploadTokenLifetime / 3600) hours of their tip")
        }
        guard slot.remaining > 0 else { throw RPCError(.resourceExhausted, "this tip has no attachment slots left") }
        guard start.encryptedSize <= configuration.maximumAttachmentSize,
              start.encryptedSize >= UInt64(AttachmentStream.headerByteCount + AttachmentStream.chunkOverhead)
        else { throw RPCError(.resourceExhausted, "attachment size out of range") }

        // The slot is taken before any chunk is staged, in one transaction,
        // so that concurrent uploads never exceed the slots left. The id is
        // live before it exists, so the sweep never takes it from under us.
        let uploadId = SystemRandom().bytes(16)
        liveUploads.withLock { _ = $0.insert(uploadId) }
        defer { liveUploads.withLock { _ = $0.remove(uploadId) } }
        switch try await reserve(uploadId: uploadId, tipId: tipId, size: start.encryptedSize, now: now) {
        case .reserved: break
        case .noSlotLeft: throw RPCError(.resourceExhausted, "this tip has no attachment slots left")
        case .stagingFull: throw RPCError(.resourceExhausted, "the server is receiving too many uploads; try again later")
        }
        let hash = StreamingHash(DomainHash.Label.attachmentStream)
        var received: UInt64 = 0
        var index = 0
        do {
            while let part = try await iterator.next() {
                guard case .chunk(let chunk)? = part.part else {
                    throw RPCError(.invalidArgument, "only chunks may follow AttachmentStart")
                }
                received += UInt64(chunk.count)
                guard received <= start.encryptedSize else {
                    throw RPCError(.resourceExhausted, "the upload is larger than announced")
                }
                let bytes = Array(chunk)
                hash.update(bytes)
                try await store.stageChunk(uploadId: uploadId, index: index, data: bytes)
                index += 1
            }
            guard received == start.encryptedSize else {
                throw RPCError(.invalidArgument, "the upload ended after \(received) of \(start.encryptedSize) bytes")
            }
            let done = try await store.completeUpload(uploadId: uploadId, tipId: tipId, encryptedSize: received,
                                                      contentHash: hash.finalize(), now: clock())
            return .with {
                $0.attachmentID = done.attachmentId.data
                $0.encryptedSize = received
            }
        } catch {
            // Interrupted, oversized or short: the staged chunks go.
            try? await store.abandonUpload(uploadId: uploadId)
            if let storeError = error as? StoreError { throw storeError.rpcError }
            throw error
        }
    }
}
