import TiplineCrypto
import TiplineVectors

/// Runs one vector through the library. Throws the library's typed error for
/// a rejection, or ``Mismatch`` when a success case yields the wrong values.
enum VectorReplay {
    struct Mismatch: Error {
        let reason: String
    }

    static func run(_ v: VectorFile) throws {
        switch v["format"] {
        case "envelope": try envelope(v)
        case "bundle": try bundle(v)
        case "keystore": try keystore(v)
        case "codename": try codename(v)
        case "fingerprint": try fingerprint(v)
        case "pow": try pow(v)
        case "attachment": try attachment(v)
        case "release": try release(v)
        case "receiving-key": try receivingKey(v)
        default: throw Mismatch(reason: "unknown format \(v["format"] ?? "none")")
        }
    }

    static func hex(_ v: VectorFile, _ key: String) throws -> [UInt8] {
        guard let text = v[key], let bytes = Hex.decode(text) else { throw Mismatch(reason: "missing \(key)") }
        return bytes
    }

    static func number(_ v: VectorFile, _ key: String) throws -> UInt64 {
        guard let text = v[key], let n = UInt64(text) else { throw Mismatch(reason: "missing \(key)") }
        return n
    }

    static func envelope(_ v: VectorFile) throws {
        let keyPair = BoxKeyPair(secretKey: SecureBytes(copying: try hex(v, "recipient-sk")))
        guard keyPair.publicKey.bytes == (try hex(v, "recipient-pk")) else {
            throw Mismatch(reason: "recipient-pk does not match recipient-sk")
        }
        var expectation: EnvelopeExpectation?
        if let kindText = v["expect-kind"], let kindByte = UInt8(kindText), let kind = EnvelopeKind(rawValue: kindByte) {
            let ids = (v["expect-recipients"] ?? "").split(separator: ",").compactMap { Hex.decode($0).flatMap(KeyId.init(bytes:)) }
            expectation = EnvelopeExpectation(kind: kind, context: try hex(v, "expect-context"), recipients: ids)
        }
        // The reusing opener the inbox uses must reach the same verdict.
        let openerVerdict: Result<[UInt8], EnvelopeError>
        do {
            openerVerdict = .success(try EnvelopeOpener(keyPair: keyPair).open(v.body, expecting: expectation) { Array($0) })
        } catch let error as EnvelopeError {
            openerVerdict = .failure(error)
        }
        let content: SecureBytes
        do {
            content = try Envelope.open(v.body, with: keyPair, expecting: expectation)
        } catch {
            guard case .failure(error) = openerVerdict else { throw Mismatch(reason: "EnvelopeOpener gave \(openerVerdict), open gave \(error)") }
            throw error
        }
        let expected = try hex(v, "content")
        guard content.constantTimeEquals(expected) else { throw Mismatch(reason: "content differs") }
        guard case .success(expected) = openerVerdict else { throw Mismatch(reason: "EnvelopeOpener gave \(openerVerdict)") }
    }

    static func bundle(_ v: VectorFile) throws {
        let pinned = try Fingerprint(parsing: v["pinned"] ?? "")
        var seen: SeenBundle?
        if v["seen-version"] != nil {
            seen = SeenBundle(version: try number(v, "seen-version"), id: try hex(v, "seen-id"))
        }
        let signed = try SignedKeyBundle(parsing: v.body)
        _ = try signed.verify(pinned: pinned, now: try number(v, "now"), lastSeen: seen)
        guard signed.id == (try hex(v, "bundle-id")) else { throw Mismatch(reason: "bundle id differs") }
    }

    static func keystore(_ v: VectorFile) throws {
        let contents = try Keystore.open(v.body, passphrase: SecureBytes(copying: try hex(v, "passphrase")))
        guard String(contents.role.rawValue) == v["role"], contents.name == v["name"],
              contents.signingKey.publicKey.bytes == (try hex(v, "ed25519-pk")),
              contents.boxKey.publicKey.bytes == (try hex(v, "x25519-pk"))
        else { throw Mismatch(reason: "unlocked keys differ") }
        let receiving = contents.receivingKeys.map { Hex.encode($0.keyPair.publicKey.bytes) }.joined(separator: ",")
        guard receiving == (v["receiving-pks"] ?? "") else { throw Mismatch(reason: "receiving keys differ: \(receiving)") }
    }

    static func codename(_ v: VectorFile) throws {
        let keys = try Codename(parsing: v["codename"] ?? "").deriveKeys()
        guard keys.replyKey.publicKey.bytes == (try hex(v, "reply-pk")),
              keys.mailboxKey.publicKey.bytes == (try hex(v, "mailbox-pk")),
              keys.mailboxId == (try hex(v, "mailbox-id")),
              keys.uploadToken.withUnsafeBytes({ Array($0) }) == (try hex(v, "upload-token")),
              keys.attachmentKey(contentHash: try hex(v, "content-hash")).withUnsafeBytes({ Array($0) }) == (try hex(v, "attachment-key"))
        else { throw Mismatch(reason: "derived keys differ") }
    }

    /// Reads the typed text as its `reader` says, then compares it with the
    /// fingerprint of `material` (PROTOCOL.md §2.5): a legacy-form reading
    /// one symbol short of it is `symbolMissing`, any other difference
    /// `wrongOrganisation`.
    static func fingerprint(_ v: VectorFile) throws {
        let typed = v["fingerprint"] ?? ""
        let file: Bool
        switch v["reader"] {
        case "typed": file = false
        case "file": file = true
        default: throw Mismatch(reason: "unknown reader \(v["reader"] ?? "none")")
        }
        guard v.body.isEmpty else { throw Mismatch(reason: "fingerprint vector has a body") }
        let parsed = try Fingerprint(parsing: typed, acceptingLegacyForm: file)
        let actual = Fingerprint(publicKeyMaterial: try hex(v, "material"))
        guard parsed.matches(actual) else {
            if Fingerprint.isLegacyForm(typed) && parsed.isOneSymbolShort(of: actual) { throw FingerprintError.symbolMissing }
            throw KeyBundleError.wrongOrganisation
        }
        guard actual.description == v["displayed"] else { throw Mismatch(reason: "displayed form differs") }
    }

    static func pow(_ v: VectorFile) throws {
        let issuer = ProofOfWorkIssuer(key: SecureBytes(copying: try hex(v, "pow-key")))
        guard let purpose = ProofOfWorkPurpose(rawValue: UInt8(try number(v, "purpose"))) else {
            throw Mismatch(reason: "unknown purpose header")
        }
        try issuer.verify(challenge: v.body, purpose: purpose, binding: try hex(v, "binding"),
                          counter: try number(v, "counter"), now: try number(v, "now"))
    }

    /// §9.1: the signature file against `release-file`, then what it says
    /// was signed, and that the writer gives back the same bytes.
    /// §3.4 against the verified bundle in the `bundle` header.
    static func receivingKey(_ v: VectorFile) throws {
        let pinned = try Fingerprint(parsing: v["pinned"] ?? "")
        let now = try number(v, "now")
        let bundle = try SignedKeyBundle(parsing: try hex(v, "bundle")).verify(pinned: pinned, now: now)
        let statement = try ReceivingKeyStatement(parsing: v.body)
        try statement.verify(in: bundle, now: now)
        guard statement.responderId.bytes == (try hex(v, "responder-id")),
              statement.publicKey.bytes == (try hex(v, "receiving-pk")),
              statement.keyId.bytes == (try hex(v, "receiving-key-id")),
              String(statement.notBefore) == v["not-before"], String(statement.notAfter) == v["not-after"]
        else { throw Mismatch(reason: "statement fields differ") }
        guard statement.encoded == v.body else { throw Mismatch(reason: "re-encoding differs") }
    }

    static func release(_ v: VectorFile) throws {
        let pinned = try Fingerprint(parsing: v["pinned"] ?? "")
        let signature = try ReleaseSignature(parsing: v.body)
        try signature.verify(pinned: pinned, file: ReleaseDigest(of: try hex(v, "release-file")))
        guard signature.name == v["name"], String(signature.signedAt) == v["signed-at"],
              String(signature.file.size) == v["size"], signature.file.hash == (try hex(v, "release-hash"))
        else { throw Mismatch(reason: "signed fields differ") }
        guard signature.encoded == v.body else { throw Mismatch(reason: "re-encoding differs") }
    }

    static func attachment(_ v: VectorFile) throws {
        let decryptor = AttachmentDecryptor(key: SecureBytes(copying: try hex(v, "attachment-key")))
        var plaintext = [UInt8]()
        // Feed in odd-sized pieces so that chunk boundaries never line up with reads.
        var offset = 0
        while offset < v.body.count {
            let end = min(offset + 7919, v.body.count)
            try decryptor.feed(v.body[offset..<end]) { plaintext += $0 }
            offset = end
        }
        try decryptor.finish { plaintext += $0 }
        guard DomainHash.hash("tipline/v1/test-vector", plaintext) == (try hex(v, "content-blake2b")) else {
            throw Mismatch(reason: "plaintext differs")
        }
    }
}
