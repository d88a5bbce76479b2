import TiplineCrypto
import TiplineProto
import TiplineStore

/// Checks 1–4: the organisation, every published bundle, their history, and
/// the server's identity, all from what the server served.
struct BundleAudit {
    let served: ServerEvidence
    let pinned: Fingerprint
    let now: UInt64

    /// The bundle in force, if it parses, names the pinned organisation and
    /// carries its valid signature: the only source the auditor trusts for
    /// the server's key. An expired bundle still names it truthfully.
    var trustedInForce: SignedKeyBundle? {
        guard case .success(let bytes) = served.bundleInForce, let signed = try? SignedKeyBundle(parsing: bytes),
              Self.isSigned(signed, by: pinned) else { return nil }
        return signed
    }

    static func isSigned(_ signed: SignedKeyBundle, by pinned: Fingerprint) -> Bool {
        signed.unverifiedBundle.organisationFingerprint.matches(pinned)
            && signed.unverifiedBundle.organisationKey.isValidSignature(signed.signature, for: signed.body,
                                                                         context: DomainHash.Label.bundleSignature)
    }

    func results() -> [AuditCheckResult] {
        [organisation(), signaturesAndExpiry(), history(), serverIdentity()]
    }

    // MARK: 1. organisation

    func organisation() -> AuditCheckResult {
        let signed: SignedKeyBundle
        switch served.bundleInForce {
        case .failure(let error):
            return AuditCheckResult(.organisation, .fail, "GetBundle failed: \(error)")
        case .success(let bytes):
            do { signed = try SignedKeyBundle(parsing: bytes) } catch {
                return AuditCheckResult(.organisation, .fail, "the bundle in force does not parse: \(error)")
            }
        }
        let bundle = signed.unverifiedBundle
        guard bundle.organisationFingerprint.matches(pinned) else {
            return AuditCheckResult(.organisation, .fail, """
                \(AuditText.inForce(signed)) is made by organisation \(bundle.organisationFingerprint), \
                not the pinned \(pinned)
                """)
        }
        guard Self.isSigned(signed, by: pinned) else {
            return AuditCheckResult(.organisation, .fail,
                                    "\(AuditText.inForce(signed)) names the pinned organisation but its signature does not verify")
        }
        return AuditCheckResult(.organisation, .pass, "\(AuditText.inForce(signed)) is signed by the pinned organisation \(pinned)")
    }

    // MARK: 2. bundle signature and expiry

    func signaturesAndExpiry() -> AuditCheckResult {
        var findings = Findings()
        var verified = 0
        switch served.publishedBundles {
        case .failure(let error):
            findings.fail("ListBundles failed: \(error)")
        case .success(let list):
            if list.isEmpty { findings.fail("the server lists no published bundle") }
            for (index, bytes) in list.enumerated() {
                let signed: SignedKeyBundle
                do { signed = try SignedKeyBundle(parsing: bytes) } catch {
                    findings.fail("published bundle #\(index + 1) does not parse: \(error)")
                    continue
                }
                let bundle = signed.unverifiedBundle
                if !bundle.organisationFingerprint.matches(pinned) {
                    findings.fail("\(AuditText.bundle(signed)) is made by organisation \(bundle.organisationFingerprint), not the pinned one")
                } else if !Self.isSigned(signed, by: pinned) {
                    findings.fail("\(AuditText.bundle(signed)): the organisation's signature does not verify")
                } else {
                    verified += 1
                }
            }
        }
        var validity = ""
        if let current = trustedInForce {
            let bundle = current.unverifiedBundle
            switch Result<KeyBundle, KeyBundleError>(catching: { () throws(KeyBundleError) in try current.verify(pinned: pinned, now: now) }) {
            case .success:
                validity = "; the bundle in force (version \(bundle.version)) is valid until \(AuditText.date(bundle.expiresAt))"
            case .failure(.expired):
                findings.fail("\(AuditText.inForce(current)) expired at \(AuditText.date(bundle.expiresAt)) (now \(AuditText.date(now)))")
            case .failure(.notYetValid):
                findings.fail("\(AuditText.inForce(current)) is issued at \(AuditText.date(bundle.issuedAt)), in the future (now \(AuditText.date(now)))")
            case .failure(let error):
                findings.fail("\(AuditText.inForce(current)): \(error)")
            }
        } else {
            findings.fail("the bundle in force could not be checked for expiry: it is not signed by the pinned organisation (see organisation)")
        }
        return findings.result(.bundleSignatures, pass: "\(verified == 1 ? "1 published bundle verifies" : "\(verified) published bundles verify") against the pin\(validity)")
    }

    // MARK: 3. bundle history

    func history() -> AuditCheckResult {
        guard case .success(let list) = served.publishedBundles else {
            return AuditCheckResult(.bundleHistory, .skip, "not checked: ListBundles failed (see bundle signature and expiry)")
        }
        var findings = Findings()
        // Unparseable entries are reported by check 2; the order is judged on the rest.
        let bundles = list.compactMap { try? SignedKeyBundle(parsing: $0) }
        for (earlier, later) in zip(bundles, bundles.dropFirst()) {
            let a = earlier.unverifiedBundle.version, b = later.unverifiedBundle.version
            if b == a {
                findings.fail("two published bundles share version \(a): ids \(AuditText.short(earlier.id)) and \(AuditText.short(later.id))")
            } else if b < a {
                findings.fail("\(AuditText.bundle(later)) was published after version \(a): versions must strictly increase")
            }
        }
        var seen = Set<[UInt8]>()
        for signed in bundles where !seen.insert(signed.id).inserted {
            findings.fail("\(AuditText.bundle(signed)) is listed more than once")
        }
        if case .success(let bytes) = served.bundleInForce, let current = try? SignedKeyBundle(parsing: bytes) {
            if !bundles.contains(where: { $0.id == current.id }) {
                findings.fail("\(AuditText.inForce(current)) is not among the published bundles")
            } else if bundles.last?.id != current.id {
                findings.fail("\(AuditText.inForce(current)) is not the newest published (\(bundles.last.map(AuditText.bundle) ?? "-"))")
            }
        }
        // Each publication is an audit entry whose payload hash covers the
        // signed bundle: the list and the log must tell the same history.
        var entrySequences: [UInt64] = []
        switch served.auditLog {
        case .failure:
            findings.fail("publications not matched with the audit log: GetAuditLog failed (see audit chain)")
        case .success(let log):
            let published = log.filter { $0.kind == UInt32(AuditKind.bundlePublished.rawValue) }
            for (index, signed) in bundles.enumerated() {
                guard index < published.count else {
                    findings.fail("\(AuditText.bundle(signed)) has no bundle-published audit entry")
                    continue
                }
                let entry = published[index]
                if Array(entry.subject) != signed.id || Array(entry.payloadHash) != AuditEntry.payloadHash(of: signed.encoded) {
                    findings.fail("\(AuditText.bundle(signed)) is not the bundle audit entry \(entry.sequence) published")
                } else {
                    entrySequences.append(entry.sequence)
                }
            }
            for entry in published.dropFirst(bundles.count) {
                findings.fail("audit entry \(entry.sequence) publishes bundle \(AuditText.short(Array(entry.subject))), which ListBundles does not list")
            }
        }
        let versions = bundles.map { String($0.unverifiedBundle.version) }.joined(separator: ", ")
        return findings.result(.bundleHistory, pass: """
            versions \(versions) strictly increase in publication order, published by audit entries \
            \(entrySequences.map(String.init).joined(separator: ", ")) respectively; the bundle in force is the newest
            """)
    }

    // MARK: 4. server identity

    func serverIdentity() -> AuditCheckResult {
        guard let current = trustedInForce else {
            return AuditCheckResult(.serverIdentity, .skip, "not checked: no bundle in force signed by the pinned organisation names the server key (see organisation)")
        }
        let key = current.unverifiedBundle.serverKey
        switch served.auditHead {
        case .failure(let error):
            return AuditCheckResult(.serverIdentity, .fail, "GetAuditHead failed: \(error)")
        case .success(let head):
            guard head.isSigned(by: key) else {
                return AuditCheckResult(.serverIdentity, .fail, """
                    the audit head at sequence \(head.sequence) is not signed by the server key that \
                    \(AuditText.bundle(current)) names (key id \(key.keyId)): this server does not hold the identity the organisation signed for
                    """)
            }
            return AuditCheckResult(.serverIdentity, .pass,
                                    "the audit head at sequence \(head.sequence) is signed by the server key that \(AuditText.bundle(current)) names (key id \(key.keyId))")
        }
    }
}
