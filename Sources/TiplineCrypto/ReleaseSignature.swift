/// The organisation's signature on a program it gives out
/// (proto/PROTOCOL.md §9.1), kept in a file of its own beside the program:
///
/// ```
/// body        = "TLRS" || u8(1) || org_pk (32) || u64(signed_at) || u64(size)
///               || release_hash (32) || short(name)
/// release_sig = body || Sign(org_sk, "tipline/v1/release", body)
/// ```
///
/// It carries the organisation's public key, so a tipster who holds only the
/// fingerprint can check a copy, however it reached them.
public struct ReleaseSignature: Sendable {
    /// `TLRS`.
    public static let magic: [UInt8] = Array("TLRS".utf8)
    public static let formatVersion: UInt8 = 1
    /// The §9 signature context; no other signature in Tipline uses it.
    public static let context = "tipline/v1/release"
    /// The longest release signature: a 255-byte name.
    public static let maximumByteCount = 4 + 1 + SigningPublicKey.byteCount + 8 + 8 + ReleaseDigest.hashByteCount + 1 + 255
        + SigningKeyPair.signatureByteCount

    /// The key that signed, not trusted until ``verify(pinned:file:)`` passes.
    public let organisationKey: SigningPublicKey
    /// When it was signed (Unix seconds), as the signer's clock said.
    public let signedAt: UInt64
    /// The size and hash of the file that was signed.
    public let file: ReleaseDigest
    /// The file's name when signed: untrusted text, never compared with a local name.
    public let name: String
    /// The exact signed bytes.
    public let body: [UInt8]
    public let signature: [UInt8]

    /// Signs `file` with the organisation's key.
    public init(signing file: ReleaseDigest, name: String, signedAt: UInt64, by organisation: SigningKeyPair)
        throws(ReleaseSignatureError) {
        guard Self.isValidName(name) else { throw .invalidName }
        var writer = ByteWriter(capacity: Self.maximumByteCount)
        writer.write(Self.magic)
        writer.write(Self.formatVersion)
        writer.write(organisation.publicKey.bytes)
        writer.write(signedAt)
        writer.write(file.size)
        writer.write(file.hash)
        writer.writeShortString(Array(name.utf8))
        organisationKey = organisation.publicKey
        self.signedAt = signedAt
        self.file = file
        self.name = name
        body = writer.bytes
        signature = organisation.sign(body, context: Self.context)
    }

    /// Parses a signature file strictly, in layout order (§9.1 step 1). This
    /// checks structure only.
    public init(parsing bytes: [UInt8]) throws(ReleaseSignatureError) {
        var reader = ByteReader(bytes)
        do {
            guard try reader.readBytes(Self.magic.count) == Self.magic else { throw ReleaseSignatureError.badMagic }
            let format = try reader.readUInt8()
            guard format == Self.formatVersion else { throw ReleaseSignatureError.unsupportedFormat(format) }
            organisationKey = SigningPublicKey(bytes: try reader.readBytes(SigningPublicKey.byteCount))!
            signedAt = try reader.readUInt64()
            let size = try reader.readUInt64()
            file = ReleaseDigest(size: size, hash: try reader.readBytes(ReleaseDigest.hashByteCount))
            let nameBytes = try reader.readShortString()
            guard let name = String(validating: nameBytes, as: UTF8.self), Self.isValidName(name) else {
                throw ReleaseSignatureError.invalidName
            }
            self.name = name
        } catch let error as ReleaseSignatureError {
            throw error
        } catch {
            throw .truncated
        }
        let bodyLength = reader.offset
        guard reader.remaining >= SigningKeyPair.signatureByteCount else { throw .truncated }
        guard reader.remaining == SigningKeyPair.signatureByteCount else { throw .trailingBytes }
        body = Array(bytes[..<bodyLength])
        signature = reader.readRest()
    }

    /// `body || signature`: the `.sig` file.
    public var encoded: [UInt8] { body + signature }

    /// The fingerprint of the key that signed.
    public var organisationFingerprint: Fingerprint { Fingerprint(organisationKey: organisationKey) }

    /// §9.1 steps 2 to 5, in order: the pinned organisation, its signature,
    /// then the file's size and hash. Returns only if `file` is the file
    /// the organisation signed.
    public func verify(pinned: Fingerprint, file actual: ReleaseDigest) throws(ReleaseSignatureError) {
        guard organisationFingerprint.matches(pinned) else { throw .wrongOrganisation }
        guard organisationKey.isValidSignature(signature, for: body, context: Self.context) else { throw .badSignature }
        guard actual.size == file.size else { throw .sizeMismatch(signed: file.size, actual: actual.size) }
        guard actual.hash == file.hash else { throw .fileMismatch }
    }

    /// 1 to 255 bytes of UTF-8, no control character, no `/`: a file's own
    /// name, never a path.
    public static func isValidName(_ name: String) -> Bool {
        (1...255).contains(name.utf8.count)
            && !name.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == "/" }
    }
}
