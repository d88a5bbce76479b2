import CSodium

/// A passphrase-protected file of secret keys (proto/PROTOCOL.md §7).
///
/// ```
/// prefix  = "TLKS" || format (1) || kdf (1) || opslimit (u64) || memlimit (u64) || salt (16) || nonce (24)
/// header  = prefix || H_16("tipline/v1/keystore/header", prefix)
///                  || H_16("tipline/v1/keystore/passphrase-check", key)
/// file    = header || XChaCha20-Poly1305-IETF(key, nonce, ad = header, payload)
/// payload = role (1) || ed25519_seed (32) || x25519_secret (32) || u8(len) || name
///           [format 2: || archive_key (32) || u8(n) || n × (receiving statement (165) || x25519_secret (32))]
/// key     = Argon2id13(passphrase, salt, opslimit, memlimit), 32 bytes
/// ```
///
/// Format 2 is written when the keystore holds an archive key or receiving
/// keys (a responder who rotated), format 1 otherwise.
///
/// The header checksum tells a damaged file from a wrong passphrase, and the
/// passphrase check tells a wrong passphrase from a damaged payload; neither
/// helps a guesser more than the ciphertext itself already does.
public enum Keystore {
    /// `TLKS`.
    public static let magic: [UInt8] = Array("TLKS".utf8)
    public static let formatVersion: UInt8 = 1
    /// Adds the case-archive key and the receiving keys (issue 15).
    public static let receivingKeysFormat: UInt8 = 2
    /// `RK_KEYSTORE_MAX`: receiving keys one keystore holds at most; with
    /// them the file still fits in ``maximumFileSize``.
    public static let maximumReceivingKeys = 16
    /// `crypto_pwhash_ALG_ARGON2ID13`.
    public static let kdfArgon2id13: UInt8 = 2
    public static let saltByteCount = Int(crypto_pwhash_SALTBYTES)
    public static let nonceByteCount = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    public static let checkByteCount = 16
    public static let prefixByteCount = 4 + 1 + 1 + 8 + 8 + saltByteCount + nonceByteCount
    public static let headerByteCount = prefixByteCount + 2 * checkByteCount
    /// No keystore is larger than this; readers refuse bigger files unread.
    public static let maximumFileSize = 4096

    static let headerLabel = "tipline/v1/keystore/header"
    static let passphraseCheckLabel = "tipline/v1/keystore/passphrase-check"

    /// Encrypts `contents` under `passphrase`.
    public static func seal(
        _ contents: KeystoreContents, passphrase: SecureBytes, random: some RandomSource = SystemRandom()
    ) throws(KeystoreError) -> [UInt8] {
        guard passphrase.count > 0 else { throw .emptyPassphrase }
        guard Responder.isValidName(contents.name) else { throw .invalidName }
        let parameters = contents.parameters
        guard parameters.isWithinLimits else { throw .parametersOutOfRange(parameters) }
        guard contents.receivingKeys.count <= maximumReceivingKeys else { throw .tooManyReceivingKeys }
        let extended = contents.archiveKey != nil || !contents.receivingKeys.isEmpty
        var prefix = ByteWriter(capacity: headerByteCount)
        prefix.write(magic)
        prefix.write(extended ? receivingKeysFormat : formatVersion)
        prefix.write(kdfArgon2id13)
        prefix.write(parameters.opsLimit)
        prefix.write(parameters.memLimit)
        let salt = random.bytes(saltByteCount)
        prefix.write(salt)
        let nonce = random.bytes(nonceByteCount)
        prefix.write(nonce)
        // Drawn after the salt and nonce, and only for format 2, so that a
        // format-1 keystore sealed from a seed keeps its bytes.
        let archiveKey = extended ? contents.archiveKey ?? random.secret(CaseArchive.archiveKeyByteCount) : nil
        let key = try deriveKey(passphrase: passphrase, salt: salt, parameters: parameters)
        var header = prefix.bytes
        header += DomainHash.hash(headerLabel, outputLength: checkByteCount, prefix.bytes)
        header += DomainHash.hash(passphraseCheckLabel, secret: key, outputLength: checkByteCount).withUnsafeBytes { Array($0) }

        let nameBytes = Array(contents.name.utf8)
        let signSeed = contents.signingKey.seed()
        let boxSecret = contents.boxKey.secretKeyCopy()
        let base = 1 + 32 + 32 + 1 + nameBytes.count
        let held = contents.receivingKeys.map { ($0.statement.encoded, $0.keyPair.secretKeyCopy()) }
        let payload = SecureBytes(count: base + (extended ? 32 + 1 + held.count * heldKeyByteCount : 0)) { p in
            p[0] = contents.role.rawValue
            signSeed.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: p[1..<33]).copyMemory(from: $0) }
            boxSecret.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: p[33..<65]).copyMemory(from: $0) }
            p[65] = UInt8(nameBytes.count)
            for (i, b) in nameBytes.enumerated() { p[66 + i] = b }
            guard extended else { return }
            archiveKey!.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: p[base..<base + 32]).copyMemory(from: $0) }
            p[base + 32] = UInt8(held.count)
            var offset = base + 33
            for (statement, secret) in held {
                for (i, b) in statement.enumerated() { p[offset + i] = b }
                secret.withUnsafeBytes {
                    UnsafeMutableRawBufferPointer(rebasing: p[offset + statement.count..<offset + heldKeyByteCount]).copyMemory(from: $0)
                }
                offset += heldKeyByteCount
            }
        }
        var file = header
        file.append(contentsOf: repeatElement(0, count: payload.count + Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)))
        file.withUnsafeMutableBufferPointer { out in
            payload.withUnsafeBytes { m in
                key.withUnsafeBytes { k in
                    _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
                        out.baseAddress! + header.count, nil,
                        m.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(m.count),
                        header, UInt64(header.count), nil, nonce,
                        k.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        return file
    }

    /// Reads the recorded parameters without the passphrase, for `tipline audit`.
    public static func inspect(_ file: [UInt8]) throws(KeystoreError) -> KeystoreParameters {
        try parseHeader(file).parameters
    }

    /// Unlocks a keystore. Checks run in this order: structure, header
    /// checksum, parameter range, passphrase check, payload authentication.
    public static func open(_ file: [UInt8], passphrase: SecureBytes) throws(KeystoreError) -> KeystoreContents {
        let header = try parseHeader(file)
        guard header.parameters.isWithinLimits else { throw .parametersOutOfRange(header.parameters) }
        let extended = header.format == receivingKeysFormat
        let key = try deriveKey(passphrase: passphrase, salt: header.salt, parameters: header.parameters)
        let check = DomainHash.hash(passphraseCheckLabel, secret: key, outputLength: checkByteCount)
        guard check.constantTimeEquals(header.passphraseCheck) else { throw .wrongPassphrase }

        let ciphertextLength = file.count - headerByteCount
        guard ciphertextLength >= Int(crypto_aead_xchacha20poly1305_ietf_ABYTES) + 66 else { throw .damagedPayload }
        var ok = false
        let payload = SecureBytes(count: ciphertextLength - Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)) { p in
            file.withUnsafeBufferPointer { f in
                key.withUnsafeBytes { k in
                    ok = crypto_aead_xchacha20poly1305_ietf_decrypt(
                        p.baseAddress!.assumingMemoryBound(to: UInt8.self), nil, nil,
                        f.baseAddress! + headerByteCount, UInt64(ciphertextLength),
                        f.baseAddress!, UInt64(headerByteCount), header.nonce,
                        k.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 0
                }
            }
        }
        guard ok else { throw .damagedPayload }
        return try payload.withUnsafeBytes { p throws(KeystoreError) -> KeystoreContents in
            guard let role = KeystoreRole(rawValue: p[0]) else { throw .damagedPayload }
            let nameLength = Int(p[65])
            let base = 66 + nameLength
            guard p.count >= base, let name = String(validating: p[66..<base], as: UTF8.self), Responder.isValidName(name)
            else { throw .damagedPayload }
            var archiveKey: SecureBytes?
            var held: [HeldReceivingKey] = []
            if extended {
                guard p.count >= base + 33 else { throw .damagedPayload }
                let count = Int(p[base + 32])
                guard count <= maximumReceivingKeys, p.count == base + 33 + count * heldKeyByteCount else { throw .damagedPayload }
                archiveKey = SecureBytes(copying: UnsafeRawBufferPointer(rebasing: p[base..<base + 32]))
                for index in 0..<count {
                    let start = base + 33 + index * heldKeyByteCount
                    let statementEnd = start + ReceivingKeyStatement.byteCount
                    guard let statement = try? ReceivingKeyStatement(parsing: Array(p[start..<statementEnd])) else {
                        throw .damagedPayload
                    }
                    let pair = BoxKeyPair(secretKey: SecureBytes(copying: UnsafeRawBufferPointer(rebasing: p[statementEnd..<start + heldKeyByteCount])))
                    guard pair.publicKey == statement.publicKey else { throw .damagedPayload }
                    held.append(HeldReceivingKey(statement: statement, keyPair: pair))
                }
            } else {
                guard p.count == base else { throw .damagedPayload }
            }
            let signSeed = SecureBytes(copying: UnsafeRawBufferPointer(rebasing: p[1..<33]))
            let boxSecret = SecureBytes(copying: UnsafeRawBufferPointer(rebasing: p[33..<65]))
            return KeystoreContents(role: role, name: name, signingKey: SigningKeyPair(seed: signSeed),
                                    boxKey: BoxKeyPair(secretKey: boxSecret), parameters: header.parameters,
                                    archiveKey: archiveKey, receivingKeys: held)
        }
    }

    /// Writes a sealed keystore atomically with mode 0600. Replacing one
    /// (`overwrite`), the old file's bytes are zeroed once the new one is in
    /// place: a destroyed receiving key leaves no older copy (§3.6).
    public static func write(_ contents: KeystoreContents, passphrase: SecureBytes, to path: String,
                             overwrite: Bool = false) throws(KeystoreError) {
        let file = try seal(contents, passphrase: passphrase)
        do { try AtomicFile.write(file, to: path, mode: 0o600, overwrite: overwrite, scrubReplaced: overwrite) } catch { throw .file(error) }
    }

    /// Reads and unlocks a keystore file; refuses one that others can read.
    public static func read(from path: String, passphrase: SecureBytes) throws(KeystoreError) -> KeystoreContents {
        let file: [UInt8]
        do { file = try AtomicFile.read(path, limit: maximumFileSize, requirePrivate: true) } catch { throw .file(error) }
        return try open(file, passphrase: passphrase)
    }

    /// One held receiving key in a format-2 payload: statement and secret.
    static let heldKeyByteCount = ReceivingKeyStatement.byteCount + 32

    private struct Header {
        let format: UInt8
        let parameters: KeystoreParameters
        let salt: [UInt8]
        let nonce: [UInt8]
        let passphraseCheck: [UInt8]
    }

    private static func parseHeader(_ file: [UInt8]) throws(KeystoreError) -> Header {
        guard file.count >= 4 else { throw .truncated }
        guard Array(file[0..<4]) == magic else { throw .badMagic }
        guard file.count >= headerByteCount else { throw .truncated }
        var r = ByteReader(file)
        do {
            _ = try r.readBytes(4)
            let format = try r.readUInt8()
            let kdf = try r.readUInt8()
            let ops = try r.readUInt64()
            let mem = try r.readUInt64()
            let salt = try r.readBytes(saltByteCount)
            let nonce = try r.readBytes(nonceByteCount)
            let headerCheck = try r.readBytes(checkByteCount)
            let passphraseCheck = try r.readBytes(checkByteCount)
            let expected = DomainHash.hash(headerLabel, outputLength: checkByteCount, Array(file[0..<prefixByteCount]))
            // The checksum comes first: a flipped bit in the version byte is damage, not a new format.
            guard expected == headerCheck else { throw KeystoreError.damagedHeader }
            guard format == formatVersion || format == receivingKeysFormat else { throw KeystoreError.unsupportedFormat(format) }
            guard kdf == kdfArgon2id13 else { throw KeystoreError.unsupportedKDF(kdf) }
            return Header(format: format, parameters: KeystoreParameters(opsLimit: ops, memLimit: mem),
                          salt: salt, nonce: nonce, passphraseCheck: passphraseCheck)
        } catch let error as KeystoreError {
            throw error
        } catch {
            throw .truncated
        }
    }

    private static func deriveKey(passphrase: SecureBytes, salt: [UInt8],
                                  parameters: KeystoreParameters) throws(KeystoreError) -> SecureBytes {
        var ok = false
        let key = SecureBytes(count: 32) { k in
            passphrase.withUnsafeBytes { p in
                ok = crypto_pwhash(k.baseAddress!.assumingMemoryBound(to: UInt8.self), 32,
                                   p.baseAddress!.assumingMemoryBound(to: CChar.self), UInt64(p.count),
                                   salt, parameters.opsLimit, Int(parameters.memLimit),
                                   Int32(kdfArgon2id13)) == 0
            }
        }
        guard ok else { throw .keyDerivationFailed }
        return key
    }
}
