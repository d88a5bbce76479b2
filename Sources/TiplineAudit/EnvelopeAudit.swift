import TiplineCrypto
import TiplineStore

/// Checks 6–8 on the stored envelopes: structure, formats, recipients and padding.
/// Only public header fields are read; the auditor holds no key that opens
/// an envelope and needs none.
struct EnvelopeAudit {
    let store: StoreEvidence
    let pinned: Fingerprint

    private var tipsById: [[UInt8]: StoredTip] {
        Dictionary(store.tips.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: 6. stored envelopes well formed

    func wellFormed() -> AuditCheckResult {
        var findings = Findings()
        var counts: [EnvelopeKind: Int] = [:]
        for tip in store.tips {
            do {
                let header = try EnvelopeHeader(parsing: tip.envelope)
                if header.kind != .tip { findings.fail("\(AuditText.tip(tip)): holds a \(header.kind), not a tip") }
                counts[.tip, default: 0] += 1
            } catch {
                findings.fail("\(AuditText.tip(tip)): not a well-formed envelope: \(error)")
            }
        }
        for event in store.events {
            guard let expected = AuditText.envelopeKind(ofEvent: event.kind) else {
                findings.fail("\(AuditText.event(event)): the event table holds only triage events (3), replies (4) and follow-ups (5)")
                continue
            }
            do {
                let header = try EnvelopeHeader(parsing: event.envelope)
                if header.kind != expected { findings.fail("\(AuditText.event(event)): holds a \(header.kind), not a \(expected)") }
                counts[expected, default: 0] += 1
            } catch {
                findings.fail("\(AuditText.event(event)): not a well-formed envelope: \(error)")
            }
        }
        return findings.result(.storedEnvelopes, pass: """
            \(AuditText.counts([(counts[.tip] ?? 0, "tip", "tips"), (counts[.triageEvent] ?? 0, "triage event", "triage events"),
                                (counts[.reply] ?? 0, "reply", "replies"), (counts[.followUp] ?? 0, "follow-up", "follow-ups")])) \
            parse as envelopes, each of the kind its table holds
            """)
    }

    // MARK: 6a. envelope formats

    /// Every stored envelope (tips and events) that parses, with its audit
    /// entry and format; malformed ones are left to ``wellFormed()``.
    private func storedFormats() -> [(sequence: UInt64, format: EnvelopeFormat, label: String)] {
        var stored: [(sequence: UInt64, format: EnvelopeFormat, label: String)] = []
        for tip in store.tips {
            if let header = try? EnvelopeHeader(parsing: tip.envelope) { stored.append((tip.auditSequence, header.format, AuditText.tip(tip))) }
        }
        for event in store.events {
            if let header = try? EnvelopeHeader(parsing: event.envelope) { stored.append((event.sequence, header.format, AuditText.event(event))) }
        }
        return stored.sorted { $0.sequence < $1.sequence }
    }

    /// How many stored envelopes are of each format.
    func formatCounts() -> [EnvelopeFormat: Int] {
        storedFormats().reduce(into: [:]) { $0[$1.format, default: 0] += 1 }
    }

    /// Counts the formats, and fails on a format-1 envelope accepted after a
    /// format-2 one: only a server that reads format 2 can have stored the
    /// format-2 envelope, and such a server refuses format 1 for anything
    /// new (PROTOCOL.md §4.5), so a later format-1 envelope means the server
    /// was rolled back or does not enforce it. Audit sequence numbers give the
    /// order; the records check binds each envelope to its entry.
    func formats() -> AuditCheckResult {
        var findings = Findings()
        let stored = storedFormats()
        let firstCommitting = stored.first { $0.format == .keyCommitting }
        if let firstCommitting {
            for late in stored where late.format == .uncommitted && late.sequence > firstCommitting.sequence {
                findings.fail("""
                    \(late.label): format 1 (no key commitment), accepted after the format-2 \(firstCommitting.label); \
                    a server that reads format 2 refuses format 1
                    """)
            }
        }
        let counts: [EnvelopeFormat: Int] = stored.reduce(into: [:]) { $0[$1.format, default: 0] += 1 }
        let summary = AuditText.formatCounts(counts)
        let pass: String
        if counts[.uncommitted] == nil {
            pass = counts.isEmpty ? summary : "\(summary); format 2 commits to its content key"
        } else {
            pass = "\(summary); format 1 does not commit to its content key (PROTOCOL.md §4.5)"
                + (firstCommitting == nil ? "" : ", and every one was accepted before the first format-2 envelope")
        }
        return findings.result(.envelopeFormats, pass: pass)
    }

    // MARK: 7. recipients

    /// The stored bundles the auditor trusts for recipient lists: those that
    /// parse, carry the id of their bytes and the version of their row, and
    /// are signed by the pinned organisation. The rest are findings.
    private func trustedBundles(_ findings: inout Findings) -> [(stored: StoredBundle, bundle: KeyBundle)] {
        var trusted: [(stored: StoredBundle, bundle: KeyBundle)] = []
        for stored in store.bundles {
            let signed: SignedKeyBundle
            do { signed = try SignedKeyBundle(parsing: stored.signed) } catch {
                findings.fail("stored bundle version \(stored.version) does not parse: \(error)")
                continue
            }
            if signed.id != stored.id {
                findings.fail("stored bundle version \(stored.version): its bundle_id is not the id of its bytes")
            } else if Int64(exactly: signed.unverifiedBundle.version) != stored.version {
                findings.fail("stored bundle version \(stored.version) holds a bundle of version \(signed.unverifiedBundle.version)")
            } else if !BundleAudit.isSigned(signed, by: pinned) {
                findings.fail("stored bundle version \(stored.version) is not signed by the pinned organisation")
            } else {
                trusted.append((stored, signed.unverifiedBundle))
            }
        }
        return trusted
    }

    /// Why `header` breaks the responder recipient rule (PROTOCOL.md §14.3)
    /// for `bundle`, with the stored receiving keys that are genuine for it
    /// (signed by one of its responders for its organisation); nil when it
    /// keeps it. The time of sealing is not judged: a store's times are coarse.
    private func mismatch(_ header: EnvelopeHeader, bundle: KeyBundle, kind: EnvelopeKind, context: [UInt8],
                          extra allowed: Int = 0, extraRequired: Bool = false, genuine: [[UInt8]: [KeyId: KeyId]]) -> String? {
        do {
            try ResponderRecipientRule(bundle: bundle, receivingKeys: genuine[bundle.id] ?? [:])
                .check(header, kind: kind, context: context, extraRecipients: allowed, extraRequired: extraRequired)
            return nil
        } catch {
            return "\(error)"
        }
    }

    func recipients() -> AuditCheckResult {
        var findings = Findings()
        let trusted = trustedBundles(&findings)
        let byVersion = Dictionary(trusted.map { ($0.stored.version, $0.bundle) }, uniquingKeysWith: { a, _ in a })
        let byId = Dictionary(trusted.map { ($0.stored.id, $0.bundle) }, uniquingKeysWith: { a, _ in a })
        let inPublicationOrder = trusted.sorted { $0.stored.auditSequence < $1.stored.auditSequence }
        // Each stored statement verified once per bundle, not once per envelope.
        let statements = store.receivingKeys.compactMap { try? ReceivingKeyStatement(parsing: $0) }
        var genuine: [[UInt8]: [KeyId: KeyId]] = [:]
        for (_, bundle) in trusted {
            var keys: [KeyId: KeyId] = [:]
            for statement in statements where (try? statement.verifyGenuine(in: bundle)) != nil { keys[statement.keyId] = statement.responderId }
            genuine[bundle.id] = keys
        }
        var checked = 0, malformed = 0

        for tip in store.tips {
            guard let header = try? EnvelopeHeader(parsing: tip.envelope) else { malformed += 1; continue }
            checked += 1
            guard let bundle = byVersion[tip.bundleVersion] else {
                findings.fail("\(AuditText.tip(tip)): accepted under bundle version \(tip.bundleVersion), which the database does not hold signed by the pinned organisation")
                continue
            }
            if header.context != bundle.id {
                findings.fail("\(AuditText.tip(tip)): its context is not the id of bundle version \(bundle.version), under which it was accepted")
            }
            // The context was judged just above; the recipients are judged on their own.
            if let wrong = mismatch(header, bundle: bundle, kind: .tip, context: header.context, genuine: genuine) {
                findings.fail("\(AuditText.tip(tip)): not sealed to the responders of bundle version \(bundle.version) as its policy requires: \(wrong)")
            }
        }

        let tips = tipsById
        for event in store.events {
            guard let kind = AuditText.envelopeKind(ofEvent: event.kind),
                  let header = try? EnvelopeHeader(parsing: event.envelope) else { malformed += 1; continue }
            checked += 1
            if kind != .reply {
                // A triage event or follow-up names the bundle it was sealed for.
                guard let bundle = byId[header.context] else {
                    findings.fail("\(AuditText.event(event)): its context \(AuditText.short(header.context)) is not the id of any published bundle")
                    continue
                }
                // A follow-up may carry one more: the tipster's own reply key.
                if let wrong = mismatch(header, bundle: bundle, kind: kind, context: bundle.id, extra: kind == .followUp ? 1 : 0, genuine: genuine) {
                    findings.fail("\(AuditText.event(event)): not sealed to the responders of bundle version \(bundle.version) as its policy requires: \(wrong)")
                }
                continue
            }
            // A reply names the tipster's mailbox and goes to the responders
            // in force plus exactly one key, the tipster's reply key (which
            // only the sealed tip reveals, so it cannot be checked here).
            guard let tip = tips[event.tipId] else {
                findings.fail("\(AuditText.event(event)): the tip it answers is not in the database")
                continue
            }
            if header.context != tip.mailboxId {
                findings.fail("\(AuditText.event(event)): its context is not the mailbox id of tip \(AuditText.hex(tip.id))")
            }
            // The server checks a reply against the bundle in force when the
            // request arrives; a publish can commit before the reply does, so
            // the bundle before the one in force at commit is accepted too.
            let candidates = inPublicationOrder.filter { $0.stored.auditSequence < event.sequence }.suffix(2).reversed()
            guard let newest = candidates.first else {
                findings.fail("\(AuditText.event(event)): no bundle was published before it")
                continue
            }
            let fits = candidates.contains { candidate in
                mismatch(header, bundle: candidate.bundle, kind: .reply, context: tip.mailboxId, extra: 1, extraRequired: true, genuine: genuine) == nil
            }
            if !fits {
                let responders = Set(newest.bundle.recipientKeyIds)
                let missing = newest.bundle.recipientKeyIds.filter { !Set(header.recipientKeyIds).contains($0) }
                findings.fail("""
                    \(AuditText.event(event)): not sealed to the responders of bundle version \(newest.bundle.version) (in force then) \
                    plus exactly one reply key: \(header.recipients.count) recipients for \(responders.count) responders\
                    \(missing.isEmpty ? "" : ", missing recipient \(missing.map(\.description).joined(separator: ", "))")
                    """)
            }
        }
        let note = malformed > 0 ? " (\(malformed) malformed envelope\(malformed == 1 ? "" : "s") not checked: see stored envelopes well formed)" : ""
        if malformed > 0 && findings.isEmpty {
            // Nothing wrong with what could be read, but not everything could be.
            return AuditCheckResult(.recipients, .fail, "\(checked) envelopes sealed as their bundles require\(note)")
        }
        return findings.result(.recipients, pass: """
            \(checked) envelopes are sealed to the responders of the bundle they name as its policy requires (a receiving \
            key each, or an identity key where the policy allows), replies to the responders in force plus one reply key, \
            follow-ups at most one more (the tipster's own)\(note)
            """)
    }

    // MARK: 8. padding buckets

    /// P from the lengths alone (§4.1): a header of 39 + count × 96 + 24
    /// bytes, and 32 more in format 2, then P + 16 bytes of ciphertext. Read
    /// without parsing, so a non-canonical length is measured rather than
    /// refused; an unknown format byte is measured as format 1.
    static func paddedLength(of envelope: [UInt8]) -> Int? {
        let fixed = Envelope.magic.count + 2 + Envelope.contextByteCount + 1
        guard envelope.count >= fixed else { return nil }
        let format = EnvelopeFormat(rawValue: envelope[Envelope.magic.count]) ?? .uncommitted
        let header = Envelope.headerByteCount(format: format, recipients: Int(envelope[fixed - 1]))
        let padded = envelope.count - header - Envelope.tagByteCount
        return padded >= 0 ? padded : nil
    }

    func padding() -> AuditCheckResult {
        var findings = Findings()
        var buckets: [Int: Int] = [:]
        func measure(_ envelope: [UInt8], _ label: String) -> Int? {
            guard let padded = Self.paddedLength(of: envelope) else {
                findings.fail("\(label): \(envelope.count) bytes are too few for its header and tag")
                return nil
            }
            guard EnvelopePadding.isValidPaddedLength(padded) else {
                findings.fail("""
                    \(label): its ciphertext gives a padded length of \(padded) bytes, which is not a bucket \
                    (a power of two from \(EnvelopePadding.minimumPaddedLength) to \(EnvelopePadding.maximumPaddedLength))
                    """)
                return nil
            }
            buckets[padded, default: 0] += 1
            return padded
        }
        for tip in store.tips {
            let label = AuditText.tip(tip)
            if !EnvelopePadding.isValidPaddedLength(Int(clamping: tip.paddedLength)) {
                findings.fail("\(label): the stored padded_length \(tip.paddedLength) is not a bucket")
            }
            if let padded = measure(tip.envelope, label), Int64(padded) != tip.paddedLength {
                findings.fail("\(label): the stored padded_length \(tip.paddedLength) is not the envelope's padded length \(padded)")
            }
        }
        for event in store.events { _ = measure(event.envelope, AuditText.event(event)) }
        let histogram = buckets.keys.sorted().map { "\(AuditText.size(UInt64($0))): \(buckets[$0]!)" }.joined(separator: ", ")
        let total = buckets.values.reduce(0, +)
        return findings.result(.padding, pass: total == 0 ? "no envelopes stored"
                               : "\(total) envelopes are padded to canonical buckets (\(histogram)), and each tip's stored padded_length matches")
    }
}
