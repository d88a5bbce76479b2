import Dispatch
import Foundation
import TiplineCrypto
import TiplineProto

/// Turns cached sealed items into cases: every envelope is opened in
/// parallel on all cores (opening is pure CPU, each independent), then the
/// results are folded in sequence order on one thread.
public enum InboxDecryptor {
    /// Opens `envelopes` with `key`, in parallel; result `i` belongs to envelope `i`.
    public static func openAll(_ envelopes: [[UInt8]], with key: BoxKeyPair) -> [Result<[UInt8], EnvelopeError>] {
        openAll(envelopes, sequences: [UInt64](repeating: 0, count: envelopes.count), keys: CaseKeys(identity: key)).results
    }

    /// Opens `envelopes` (those of inbox items `sequences`) with the case
    /// keys, in parallel; result `i` belongs to envelope `i`. An envelope
    /// opened with a receiving key, and not yet in the archive, has its
    /// content key sealed for the archive (`archive`), so that it still
    /// opens once that receiving key is destroyed.
    public static func openAll(_ envelopes: [[UInt8]], sequences: [UInt64], keys: CaseKeys)
        -> (results: [Result<[UInt8], EnvelopeError>], archive: [(sequence: UInt64, sealed: [UInt8])]) {
        guard !envelopes.isEmpty else { return ([], []) }
        let results = UnsafeMutableBufferPointer<Result<[UInt8], EnvelopeError>>.allocate(capacity: envelopes.count)
        defer { results.deallocate() }
        let archive = UnsafeMutableBufferPointer<[UInt8]?>.allocate(capacity: envelopes.count)
        archive.initialize(repeating: nil)
        defer { archive.deinitialize(); archive.deallocate() }
        let slots = SendableSlots(results)
        let archiveSlots = SendableSlots(archive)
        let receivingIds = keys.receivingKeyIds
        let openingKeys = keys.openingKeys
        let workers = max(ProcessInfo.processInfo.activeProcessorCount, 1)
        let stride = (envelopes.count + workers - 1) / max(workers, 1)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let start = worker * stride
            let end = min(start + stride, envelopes.count)
            guard start < end else { return }
            // One opener per worker: its locked buffers are reused for every
            // envelope instead of mapped and unmapped each time.
            let opener = EnvelopeOpener(keyPairs: openingKeys)
            for index in start..<end {
                let envelope = envelopes[index]
                let archived = keys.archived[sequences[index]]
                // Only what a receiving key opens needs the archive: the identity key is never destroyed.
                let wantsArchive = archived == nil && keys.archiveKey != nil && !receivingIds.isEmpty
                    && ((try? EnvelopeHeader(parsing: envelope))?.recipientKeyIds.contains(where: receivingIds.contains) ?? false)
                let needsHash = archived != nil || wantsArchive
                let hash = needsHash ? CaseChain.hash(envelope) : []
                let result: Result<[UInt8], EnvelopeError>
                do {
                    result = .success(try opener.open(envelope, archived: archived, archiveKey: keys.archiveKey, envelopeHash: hash) {
                        content, contentKey in
                        if wantsArchive, let archiveKey = keys.archiveKey {
                            (archiveSlots.base + index).pointee = CaseArchive.seal(contentKey: contentKey, envelopeHash: hash,
                                                                                   archiveKey: archiveKey)
                        }
                        return Array(content)
                    })
                } catch let error as EnvelopeError {
                    result = .failure(error)
                } catch {
                    result = .failure(.authenticationFailed)
                }
                (slots.base + index).initialize(to: result)
            }
        }
        let opened = (0..<envelopes.count).map { (slots.base + $0).move() }
        let newlyArchived = (0..<envelopes.count).compactMap { index in archive[index].map { (sequences[index], $0) } }
        return (opened, newlyArchived)
    }

    /// Every case in the cache, newest first.
    public static func cases(from items: [Tipline_V1_InboxItem], key: BoxKeyPair, bundles: [KeyBundle]) -> [TipCase] {
        cases(from: items, keys: CaseKeys(identity: key), bundles: bundles).cases
    }

    /// Every case in the cache, newest first, and the content keys to add to
    /// the case archive (see ``openAll(_:sequences:keys:)``).
    public static func cases(from items: [Tipline_V1_InboxItem], keys: CaseKeys, bundles: [KeyBundle])
        -> (cases: [TipCase], archive: [(sequence: UInt64, sealed: [UInt8])]) {
        var envelopes: [[UInt8]] = []
        var sequences: [UInt64] = []
        var owners: [Int] = []
        for (index, item) in items.enumerated() {
            switch item.item {
            case .tip(let tip): envelopes.append(Array(tip.envelope)); sequences.append(item.sequence); owners.append(index)
            case .event(let event): envelopes.append(Array(event.envelope)); sequences.append(item.sequence); owners.append(index)
            default: break
            }
        }
        let (opened, newlyArchived) = openAll(envelopes, sequences: sequences, keys: keys)
        var openedByItem: [Int: Result<[UInt8], EnvelopeError>] = [:]
        for (slot, owner) in owners.enumerated() { openedByItem[owner] = opened[slot] }

        var cases: [[UInt8]: TipCase] = [:]
        var order: [[UInt8]] = []
        var storedAttachments: [[UInt8]: [String]] = [:]
        for (index, item) in items.enumerated() {
            switch item.item {
            case .tip(let tip):
                let tipId = Array(tip.tipID)
                var tipCase = TipCase(tipId: tipId, receivedAt: tip.receivedAt, expiresAt: tip.expiresAt == 0 ? nil : tip.expiresAt,
                                      mailboxId: Array(tip.mailboxID))
                fill(&tipCase, with: openedByItem[index]!)
                tipCase.warning = recipientWarning(Array(tip.envelope), bundles: bundles)
                tipCase.chain = [CaseChain.hash(Array(tip.envelope))]
                if let sealed = tipCase.tipsterMailboxId, sealed != tipCase.mailboxId {
                    tipCase.warning = (tipCase.warning.map { $0 + "; " } ?? "") + """
                        the server files this tip under a mailbox that is not the tipster's own: a reply would not reach \
                        them, and follow-ups there are not theirs. Run tipline audit
                        """
                }
                cases[tipId] = tipCase
                order.append(tipId)
            case .event(let event):
                let tipId = Array(event.tipID)
                guard cases[tipId] != nil else { continue }
                apply(event, sequence: item.sequence, opened: openedByItem[index]!, to: &cases[tipId]!, bundles: bundles)
            case .attachment(let attachment):
                storedAttachments[Array(attachment.tipID), default: []].append(Hex.encode(attachment.attachmentID))
            case .purgedTipID(let id):
                cases[Array(id)] = nil
            case nil:
                break
            }
        }
        for (tipId, stored) in storedAttachments where cases[tipId] != nil {
            // Uploads arrive in manifest order; the key check at download
            // time catches any mismatch.
            let manifest = cases[tipId]!.manifest
            cases[tipId]!.attachments = manifest.enumerated().map { index, entry in
                CaseAttachment(index: index + 1, name: entry.name, size: entry.size, storedId: index < stored.count ? stored[index] : nil,
                               isText: entry.isText)
            }
        }
        return (order.reversed().compactMap { cases[$0] }, newlyArchived)
    }

    /// A tip must be sealed to exactly the responders of the bundle it names.
    /// A format-1 tip opens, but is flagged: it does not commit to its content
    /// key, so its sender could have shown other responders something else
    /// (PROTOCOL.md §4.5); the server refuses format 1 for new tips.
    static func recipientWarning(_ envelope: [UInt8], bundles: [KeyBundle]) -> String? {
        guard let header = try? EnvelopeHeader(parsing: envelope) else { return nil }
        var warnings: [String] = []
        if header.format == .uncommitted {
            warnings.append("sealed in envelope format 1, which does not commit to its content key: other responders may have been shown something else")
        }
        if let bundle = bundles.first(where: { $0.id == header.context }) {
            if Set(header.recipientKeyIds) != Set(bundle.recipientKeyIds) || header.recipients.count != bundle.responders.count {
                warnings.append("not sealed to exactly the responders of bundle version \(bundle.version): someone else may be able to read it")
            }
        } else {
            warnings.append("sealed for a key bundle the organisation never signed")
        }
        return warnings.isEmpty ? nil : warnings.joined(separator: "; ")
    }

    static func fill(_ tipCase: inout TipCase, with opened: Result<[UInt8], EnvelopeError>) {
        switch opened {
        case .failure(let error):
            tipCase.problem = "cannot open: \(error)"
        case .success(let bytes):
            guard let content = try? Tipline_V1_TipContent(serializedBytes: bytes) else {
                tipCase.problem = "the tip's content is malformed"
                return
            }
            tipCase.what = content.what
            tipCase.place = content.where
            tipCase.time = content.when
            tipCase.contact = content.contact
            tipCase.replyKey = BoxPublicKey(bytes: Array(content.replyPublicKey))
            tipCase.mailboxKey = SigningPublicKey(bytes: Array(content.mailboxPublicKey))
            let textIndex = content.attachments.firstIndex(where: \.text)
            tipCase.manifest = content.attachments.enumerated().map { index, entry in
                TipCase.ManifestEntry(name: entry.name, size: entry.size, key: SecureBytes(copying: entry.key),
                                      contentHash: Array(entry.contentHash), isText: index == textIndex)
            }
            tipCase.attachments = tipCase.manifest.enumerated().map {
                CaseAttachment(index: $0.offset + 1, name: $0.element.name, size: $0.element.size, storedId: nil, isText: $0.element.isText)
            }
            if let textIndex {
                tipCase.textAttachment = textIndex + 1
                tipCase.textIsWhole = false
            }
        }
    }

    /// How long after it was signed an event may be recorded before it is
    /// taken for held back or replayed (stored times are rounded down, so a
    /// genuine event is never recorded before it was signed).
    static let recordingDelay: UInt64 = 86_400

    static func apply(_ event: Tipline_V1_StoredEvent, sequence: UInt64, opened: Result<[UInt8], EnvelopeError>,
                      to tipCase: inout TipCase, bundles: [KeyBundle]) {
        let envelope = Array(event.envelope)
        // Every stored event is a link of the case's chain, whatever becomes of it here.
        let before = Set(tipCase.chain)
        defer { tipCase.chain.append(CaseChain.hash(envelope)) }
        func record(_ kind: CaseEvent.Kind, author: String, change: String = "", text: String = "", problem: String? = nil,
                    warning: String? = nil) {
            var line = CaseEvent(sequence: sequence, receivedAt: event.receivedAt, kind: kind, author: author, change: change,
                                 text: text, problem: problem)
            line.warning = warning
            tipCase.history.append(line)
        }
        func refuse(_ kind: CaseEvent.Kind, _ problem: String) { record(kind, author: "?", problem: problem) }
        /// A second copy of a signature already in this case is a replay.
        func replayOf(_ signature: [UInt8]) -> UInt64? {
            if let first = tipCase.signatures[signature] { return first }
            tipCase.signatures[signature] = sequence
            return nil
        }
        let header = try? EnvelopeHeader(parsing: envelope)
        let kind: CaseEvent.Kind = switch header?.kind {
        case .reply: .reply
        case .followUp: .followUp
        default: .triage
        }
        guard case .success(let content) = opened else {
            if case .failure(let error) = opened { refuse(kind, "cannot open: \(error)") }
            return
        }
        switch header?.kind {
        case .followUp:
            // Verified once: the failure, if any, is the reason shown.
            let reason: String
            if let key = tipCase.mailboxKey {
                do {
                    let signed = try TipsterSignature.verify(content, key: key)
                    if let first = replayOf(signed.signature) { return refuse(.followUp, "a repeat of the follow-up at entry \(first) (replayed)") }
                    guard let message = try? Tipline_V1_MessageContent(serializedBytes: signed.body) else { return refuse(kind, "malformed") }
                    if event.receivedAt > signed.signedAt &+ recordingDelay {
                        return refuse(.followUp, "recorded more than a day after the tipster signed it (held back or replayed)")
                    }
                    return record(.followUp, author: "tipster", text: message.text)
                } catch {
                    reason = error.description
                }
            } else {
                reason = "the tip does not name the tipster's mailbox key (it was sent by an older tip), so no follow-up can be checked"
            }
            // Unsigned (an older `tip`) or signed by another key: shown, never as the tipster's.
            let body = (try? Tipline_V1_SignedContent(serializedBytes: content)).flatMap { $0.signedAt != 0 ? Array($0.body) : nil }
            guard let message = try? Tipline_V1_MessageContent(serializedBytes: body ?? content) else { return refuse(kind, "malformed") }
            record(.followUp, author: "unverified", text: message.text,
                   warning: "unverified: \(reason); anyone who knows the organisation's public keys could have written it")
        case .reply, .triageEvent:
            let isReply = header?.kind == .reply
            let signed: SignedEvent
            do {
                signed = try ResponderSignature.verify(content, kind: isReply ? .reply : .triageEvent,
                                                       subject: isReply ? (tipCase.tipsterMailboxId ?? tipCase.mailboxId) : tipCase.tipId,
                                                       bundles: bundles)
            } catch {
                return refuse(kind, "\(error)")
            }
            if let first = replayOf(signed.signature) { return refuse(kind, "a repeat of entry \(first) (replayed)") }
            var warnings: [String] = []
            if let previous = signed.previous, let signedAt = signed.signedAt {
                guard before.contains(previous) else {
                    return refuse(kind, "out of place: it follows an envelope this case does not hold before it (replayed or moved)")
                }
                guard event.receivedAt <= signedAt &+ recordingDelay else {
                    return refuse(kind, "recorded more than a day after it was signed (held back or replayed)")
                }
            } else {
                warnings.append("signed before events were bound to their place in the case, so a replay of it cannot be told apart")
            }
            if !event.actorKeyID.isEmpty && Array(event.actorKeyID) != signed.signer.signingKey.keyId.bytes {
                warnings.append("the server recorded it as the action of another key (\(Hex.encode(event.actorKeyID))); the signer is \(signed.signer.name)")
            }
            let warning = warnings.isEmpty ? nil : warnings.joined(separator: "; ")
            if isReply {
                guard let message = try? Tipline_V1_MessageContent(serializedBytes: signed.body) else { return refuse(kind, "malformed") }
                record(.reply, author: signed.signer.name, text: message.text, warning: warning)
            } else {
                guard let change = try? Tipline_V1_TriageContent(serializedBytes: signed.body) else { return refuse(kind, "malformed") }
                tipCase.triage.apply(status: change.hasStatus ? change.status : nil, priority: change.hasPriority ? change.priority : nil,
                                     assignee: change.hasAssignee ? change.assignee : nil,
                                     addTags: change.addTags, removeTags: change.removeTags)
                record(.triage, author: signed.signer.name, change: describe(change), text: change.note, warning: warning)
            }
        default:
            refuse(kind, "unexpected envelope kind")
        }
    }

    static func describe(_ change: Tipline_V1_TriageContent) -> String {
        var parts: [String] = []
        if change.hasStatus { parts.append("status=\(change.status)") }
        if change.hasPriority { parts.append("priority=\(change.priority)") }
        if change.hasAssignee { parts.append("assignee=\(change.assignee.isEmpty ? "(none)" : change.assignee)") }
        parts += change.addTags.map { "+tag \($0)" }
        parts += change.removeTags.map { "-tag \($0)" }
        return parts.joined(separator: ", ")
    }
}

/// The result buffer, shared by the workers; each writes only its own slots.
private struct SendableSlots<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { base = buffer.baseAddress! }
}
