import Foundation
import TiplineCrypto
import TiplineProto
import TiplineStore

/// A responder's session: their keys, the verified bundle in force, the
/// bundle history (to attribute old signatures), and the local sealed cache.
public final class ResponderWorkspace: Sendable {
    public let connection: TiplineConnection
    public let keys: KeystoreContents
    public let bundle: KeyBundle
    public let bundles: [KeyBundle]
    public let cache: InboxCache
    /// The receiving-key statements served with the bundle (unverified):
    /// what triage notes and replies are sealed to (PROTOCOL.md §3.5).
    public let receivingKeys: [[UInt8]]

    private init(connection: TiplineConnection, keys: KeystoreContents, bundle: KeyBundle, bundles: [KeyBundle], cache: InboxCache,
                 receivingKeys: [[UInt8]]) {
        self.connection = connection
        self.keys = keys
        self.bundle = bundle
        self.bundles = bundles
        self.cache = cache
        self.receivingKeys = receivingKeys
    }

    /// For each of `keyIds` (receiving keys), how many cached items have a
    /// wrap for it and are not in the case archive (PROTOCOL.md §3.6).
    public func unarchived(_ keyIds: Set<KeyId>) throws -> [KeyId: Int] {
        let archived = try cache.archived()
        var counts: [KeyId: Int] = [:]
        for item in try cache.items() where archived[item.sequence] == nil {
            let envelope: Data
            switch item.item {
            case .tip(let tip): envelope = tip.envelope
            case .event(let event): envelope = event.envelope
            default: continue
            }
            guard let header = try? EnvelopeHeader(parsing: Array(envelope)) else { continue }
            for id in header.recipientKeyIds where keyIds.contains(id) { counts[id, default: 0] += 1 }
        }
        return counts
    }

    /// The keys to seal to for the responders, chosen now (PROTOCOL.md §3.5).
    /// Reading needs none of this; only writing does, so only writing fails
    /// when no responder can receive.
    public func recipientKeys() throws -> [BoxPublicKey] {
        try RecipientSelection.choose(bundle: bundle, statements: receivingKeys, now: connection.clock()).recipients
    }

    /// Fetches and verifies the bundle in force (never older than the last one
    /// this cache accepted), and checks that this responder is in it.
    public static func open(connection: TiplineConnection, keys: KeystoreContents, pinned: Fingerprint,
                            cachePath: String) async throws -> ResponderWorkspace {
        let cache = try InboxCache(path: cachePath)
        let (bundle, signed, receivingKeys) = try await connection.fetchBundleAndReceivingKeys(pinned: pinned,
                                                                                              lastSeen: try cache.lastSeenBundle())
        try cache.remember(signed.seen)
        guard bundle.responder(id: keys.signingKey.publicKey.keyId) != nil else {
            throw ResponderError.notInBundle(version: bundle.version)
        }
        var history = try await TrustedBundles.history(over: connection, pinned: pinned)
        if !history.contains(bundle) { history.append(bundle) }
        return ResponderWorkspace(connection: connection, keys: keys, bundle: bundle, bundles: history, cache: cache,
                                  receivingKeys: receivingKeys)
    }

    /// Fetches what is new since the cache's cursor; returns how many items arrived.
    @discardableResult
    public func sync() async throws -> Int {
        // The server's clock would be better, but the sync's own start on
        // this machine errs on the safe side only if the clocks agree within
        // RK_CLOCK_SKEW, which the accept grace of §14.3 already assumes.
        let startedAt = connection.clock()
        let items = try await connection.syncInbox(after: try cache.cursor(), as: keys.signingKey)
        try cache.store(items)
        try cache.rememberCompleteSync(startedAt: startedAt)
        return items.count
    }

    /// Checks the server's signed audit head against the newest one this
    /// cache verified before, and remembers it when it continues that one.
    /// Returns a warning when the server's history went backwards or was
    /// rewritten (a cut-off history that removed the heads covering it too,
    /// SECURITY.md N12), or when the head is not signed by the server key the
    /// bundle in force names; `nil` when all is well.
    public func checkHistory(now: UInt64 = UInt64(Date().timeIntervalSince1970)) async throws -> String? {
        let signed = try await connection.auditHead()
        let head = AuditHead(sequence: signed.sequence, headHash: Array(signed.headHash), time: signed.time,
                             signature: Array(signed.signature))
        guard head.isSigned(by: bundle.serverKey) else {
            return "the server's audit head is not signed by the server key bundle version \(bundle.version) names; run tipline audit"
        }
        guard let known = try cache.lastHead(), let hash = known.hashBytes else {
            try cache.remember(KnownHead(sequence: head.sequence, hash: head.headHash, seenAt: now))
            return nil
        }
        let entries = head.sequence > known.sequence || (head.sequence == known.sequence && head.headHash != hash)
            ? try await connection.auditLog(after: known.sequence > 0 ? known.sequence - 1 : 0).map(AuditEntry.init(served:)) : []
        do {
            try AuditChain.verifyContinuation(from: known.sequence, hash: hash, entries: entries, to: head)
        } catch .historyShortened(let remembered, let now) {
            return """
                the server's history went backwards: its audit chain now ends at entry \(now), but this cache saw it \
                reach entry \(remembered); records may have been removed. Run tipline audit and tell your admin
                """
        } catch {
            return """
                the server's history changed since this cache last saw it (\(error)); records may have been \
                rewritten. Run tipline audit and tell your admin
                """
        }
        try cache.remember(KnownHead(sequence: head.sequence, hash: head.headHash, seenAt: now))
        return nil
    }

    /// Every case, newest first, decrypted in parallel.
    public func cases() throws -> [TipCase] {
        let opened = InboxDecryptor.cases(from: try cache.items(), keys: CaseKeys(keys, archived: try cache.archived()), bundles: bundles)
        try cache.archive(opened.archive)
        return opened.cases
    }

    /// The case whose id starts with `prefix` (hex, at least 4 characters).
    public func find(_ prefix: String) throws -> TipCase {
        let wanted = prefix.lowercased()
        guard wanted.count >= 4, wanted.allSatisfy(\.isHexDigit) else { throw ResponderError.badId(prefix) }
        let matches = try cases().filter { $0.id.hasPrefix(wanted) }
        guard let first = matches.first else { throw ResponderError.noSuchTip(prefix) }
        guard matches.count == 1 else { throw ResponderError.ambiguousId(prefix) }
        return first
    }

    /// Seals a signed triage change to the current responders and appends it.
    public func triage(_ tipCase: TipCase, change: Tipline_V1_TriageContent) async throws -> UInt64 {
        let content = try ResponderSignature.sign(change, kind: .triageEvent, subject: tipCase.tipId, key: keys.signingKey,
                                                  bundleVersion: bundle.version, signedAt: connection.clock(), previous: tipCase.latestHash)
        let envelope = try TooLongError.seal(content, what: "triage note", kind: .triageEvent, context: bundle.id, to: try recipientKeys())
        return try await connection.appendTriageEvent(tipId: tipCase.tipId, envelope: envelope, as: keys.signingKey)
    }

    /// Seals a signed reply to the tipster's reply key and every current
    /// responder (so colleagues can read it), filed under the tip's mailbox.
    public func reply(_ tipCase: TipCase, text: String) async throws -> UInt64 {
        guard let replyKey = tipCase.replyKey else { throw ResponderError.noReplyKey }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ResponderError.emptyMessage }
        // Filed under the mailbox of the key the tipster sealed into the tip
        // when there is one: a server that files the tip elsewhere refuses it.
        let mailboxId = tipCase.tipsterMailboxId ?? tipCase.mailboxId
        let content = try ResponderSignature.sign(Tipline_V1_MessageContent.with { $0.text = text }, kind: .reply,
                                                  subject: mailboxId, key: keys.signingKey, bundleVersion: bundle.version,
                                                  signedAt: connection.clock(), previous: tipCase.latestHash)
        let envelope = try TooLongError.seal(content, what: "reply", kind: .reply, context: mailboxId,
                                             to: try recipientKeys() + [replyKey])
        return try await connection.postReply(tipId: tipCase.tipId, envelope: envelope, as: keys.signingKey)
    }

    /// The case with its whole text when the tipster's text was too long for
    /// the envelope and travelled as an attachment (PROTOCOL.md §17, "Long
    /// texts"): downloaded, decrypted and checked against the manifest, in
    /// memory only. When it cannot be had, the case keeps the text's
    /// beginning and says why in `textProblem`.
    public func withWholeText(_ tipCase: TipCase) async -> TipCase {
        guard let number = tipCase.textAttachment, !tipCase.textIsWhole else { return tipCase }
        var result = tipCase
        let entry = tipCase.manifest[number - 1]
        let size = AttachmentStream.encryptedLength(ofPlaintextLength: entry.size)
        guard entry.size <= UInt64(TipCase.maximumTextBytes) else {
            result.textProblem = "the whole text is \(entry.size) bytes, more than a reader shows; save it with `tipline attachments`"
            return result
        }
        guard let storedId = tipCase.attachments[number - 1].storedId, let id = Hex.decode(storedId) else {
            result.textProblem = "the rest of the text (\(size) bytes encrypted) has not been uploaded yet"
            return result
        }
        do {
            let bytes = try await AttachmentDownload.read(id: id, entry: entry, over: connection, as: keys.signingKey)
            let text = String(decoding: bytes, as: UTF8.self)
            result.what = text
            result.textIsWhole = true
            if !text.hasPrefix(tipCase.what) {
                result.warning = (result.warning.map { $0 + "; " } ?? "")
                    + "the beginning shown in the inbox differs from the whole text"
            }
        } catch {
            result.textProblem = "the rest of the text could not be read: \(error)"
        }
        return result
    }

    /// Downloads, decrypts and verifies every stored attachment of a case
    /// into `directory` (created 0700; files 0600). Returns the paths written.
    public func saveAttachments(_ tipCase: TipCase, to directory: String,
                                progress: @escaping @Sendable (String, UInt64, UInt64) -> Void = { _, _, _ in }) async throws -> [String] {
        try PrivateDirectory.create(directory)
        var written: [String] = []
        for attachment in tipCase.attachments {
            guard let storedId = attachment.storedId, let id = Hex.decode(storedId) else { continue }
            let entry = tipCase.manifest[attachment.index - 1]
            let path = (directory as NSString).appendingPathComponent(
                "\(tipCase.id.prefix(8))-\(attachment.index)-\(PrivateDirectory.safeName(entry.name))")
            try await AttachmentDownload.save(id: id, entry: entry, to: path, over: connection, as: keys.signingKey) {
                progress(entry.name, $0, AttachmentStream.encryptedLength(ofPlaintextLength: entry.size))
            }
            written.append(path)
        }
        return written
    }
}
