import TiplineCrypto

/// Issue 15's audit of receiving keys, from the database: every stored
/// statement is genuine (signed by a responder of a bundle the pinned
/// organisation signed, for that organisation); per responder, the windows
/// published and the gaps between them (a time in which tips could not be
/// sealed to them forward-secretly); how many tips of the last
/// ``recentDays`` days were sealed to an identity key instead; and a flag on
/// a bundle in force whose policy allows that.
struct ReceivingKeyAudit {
    static let recentDays: UInt64 = 30

    let store: StoreEvidence
    let pinned: Fingerprint
    let now: UInt64

    func result() -> AuditCheckResult {
        var findings = Findings()
        let bundles = store.bundles.compactMap { stored -> KeyBundle? in
            guard let signed = try? SignedKeyBundle(parsing: stored.signed), BundleAudit.isSigned(signed, by: pinned) else { return nil }
            return signed.unverifiedBundle
        }
        guard let newest = bundles.max(by: { $0.version < $1.version }) else {
            return AuditCheckResult(.receivingKeys, .skip, "not checked: no bundle signed by the pinned organisation is stored")
        }
        // Genuine under some trusted bundle (a responder may since have been revoked).
        var windows: [KeyId: [(from: UInt64, until: UInt64)]] = [:]
        for (index, bytes) in store.receivingKeys.enumerated() {
            guard let statement = try? ReceivingKeyStatement(parsing: bytes) else {
                findings.fail("stored receiving key \(index + 1) does not parse")
                continue
            }
            guard bundles.contains(where: { (try? statement.verifyGenuine(in: $0)) != nil }) else {
                findings.fail("receiving key \(statement.keyId) is not signed by a responder of any bundle of the pinned organisation")
                continue
            }
            windows[statement.responderId, default: []].append((statement.notBefore, statement.notAfter))
        }
        var lines: [String] = []
        for responder in newest.responders {
            let name = responder.name
            let published = (windows[responder.id] ?? []).sorted { $0.from < $1.from }
            guard let first = published.first else {
                lines.append("\(name): no receiving key published")
                continue
            }
            var reach = first.until
            var gaps: [String] = []
            for window in published.dropFirst() {
                if window.from > reach { gaps.append("\(AuditText.date(reach)) to \(AuditText.date(window.from))") }
                reach = max(reach, window.until)
            }
            if now > reach { gaps.append("since \(AuditText.date(reach))") }
            lines.append("\(name): \(published.count) window\(published.count == 1 ? "" : "s"), \(AuditText.date(first.from)) to "
                + "\(AuditText.date(reach))" + (gaps.isEmpty ? ", no gap" : "; gaps: \(gaps.joined(separator: ", "))"))
        }
        // Tips of the last 30 days wrapped to an identity key: not forward-secret.
        let since = now > Self.recentDays * 86_400 ? now - Self.recentDays * 86_400 : 0
        let identityIds = Set(bundles.flatMap(\.recipientKeyIds))
        var recent = 0, toIdentity = 0
        for tip in store.tips where tip.receivedAt >= since {
            guard let header = try? EnvelopeHeader(parsing: tip.envelope) else { continue }
            recent += 1
            if header.recipientKeyIds.contains(where: identityIds.contains) { toIdentity += 1 }
        }
        let policy = newest.receivingKeys
        let flag = policy.fallback == .identity
            ? "FLAGGED: bundle version \(newest.version) lets a tip go to the long-term key of a responder without a receiving key, "
                + "which is not forward-secret. "
            : ""
        return findings.result(.receivingKeys, pass: """
            \(flag)\(toIdentity) of \(recent) tip\(recent == 1 ? "" : "s") of the last \(Self.recentDays) days sealed to an \
            identity key instead of receiving keys. \(lines.joined(separator: "; "))
            """)
    }
}
