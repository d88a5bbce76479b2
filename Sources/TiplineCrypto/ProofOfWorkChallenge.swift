/// A stateless proof-of-work challenge (proto/PROTOCOL.md §8):
///
/// ```
/// +-------+--------+---------+------------+-----------+------------+-------+-----+
/// | magic | format | purpose | difficulty | issued_at | expires_at | nonce | tag |
/// | 4     | 1      | 1       | 1          | 8         | 8          | 24    | 32  |
/// +-------+--------+---------+------------+-----------+------------+-------+-----+
/// tag = BLAKE2b-256(key = server_pow_key, u8(24) || "tipline/v1/pow/challenge" || preceding 47 bytes)
/// ```
///
/// The server keeps no state for it: the tag proves it issued the challenge.
public struct ProofOfWorkChallenge: Hashable, Sendable {
    /// `TLPW`.
    public static let magic: [UInt8] = Array("TLPW".utf8)
    public static let formatVersion: UInt8 = 1
    public static let nonceByteCount = 24
    public static let tagByteCount = 32
    public static let bodyByteCount = 4 + 1 + 1 + 1 + 8 + 8 + nonceByteCount
    public static let byteCount = bodyByteCount + tagByteCount
    /// 2^32 hashes is the most a challenge may demand; beyond that a tipster's
    /// phone would need hours.
    public static let maximumDifficulty: UInt8 = 32

    public let purpose: ProofOfWorkPurpose
    /// Required leading zero bits of the solution hash.
    public let difficulty: UInt8
    public let issuedAt: UInt64
    public let expiresAt: UInt64
    public let nonce: [UInt8]
    public let tag: [UInt8]

    init(purpose: ProofOfWorkPurpose, difficulty: UInt8, issuedAt: UInt64, expiresAt: UInt64,
         nonce: [UInt8], tag: [UInt8]) {
        self.purpose = purpose
        self.difficulty = difficulty
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.nonce = nonce
        self.tag = tag
    }

    /// Parses the 79-byte encoding. The tag is checked by the issuer, not here.
    public init(parsing bytes: [UInt8]) throws(ProofOfWorkError) {
        guard bytes.count == Self.byteCount else { throw .malformed }
        var r = ByteReader(bytes)
        do {
            guard try r.readBytes(4) == Self.magic else { throw ProofOfWorkError.badMagic }
            let format = try r.readUInt8()
            guard format == Self.formatVersion else { throw ProofOfWorkError.unsupportedFormat(format) }
            let purposeByte = try r.readUInt8()
            guard let purpose = ProofOfWorkPurpose(rawValue: purposeByte) else {
                throw ProofOfWorkError.unknownPurpose(purposeByte)
            }
            let difficulty = try r.readUInt8()
            guard difficulty <= Self.maximumDifficulty else { throw ProofOfWorkError.difficultyOutOfRange(difficulty) }
            self.purpose = purpose
            self.difficulty = difficulty
            self.issuedAt = try r.readUInt64()
            self.expiresAt = try r.readUInt64()
            self.nonce = try r.readBytes(Self.nonceByteCount)
            self.tag = try r.readBytes(Self.tagByteCount)
        } catch let error as ProofOfWorkError {
            throw error
        } catch {
            throw .malformed
        }
    }

    /// The 47 bytes the tag covers.
    public var body: [UInt8] {
        var w = ByteWriter(capacity: Self.byteCount)
        w.write(Self.magic)
        w.write(Self.formatVersion)
        w.write(purpose.rawValue)
        w.write(difficulty)
        w.write(issuedAt)
        w.write(expiresAt)
        w.write(nonce)
        return w.bytes
    }

    /// `body || tag`: the bytes sent to the client and back.
    public var encoded: [UInt8] { body + tag }

    /// `H_32("tipline/v1/pow/solution", challenge || binding || u64(counter))`.
    public func solutionHash(binding: [UInt8], counter: UInt64) -> [UInt8] {
        var w = ByteWriter()
        w.write(counter)
        return DomainHash.hash(DomainHash.Label.powSolution, encoded, binding, w.bytes)
    }

    /// The number of leading zero bits of `hash`, most significant bit of byte 0 first.
    public static func leadingZeroBits(_ hash: [UInt8]) -> Int {
        var bits = 0
        for byte in hash {
            if byte == 0 { bits += 8; continue }
            return bits + byte.leadingZeroBitCount
        }
        return bits
    }
}
