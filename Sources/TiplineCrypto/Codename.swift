/// The tipster's codename: 27 random Crockford base-32 symbols (135 bits) and
/// one check symbol, written as seven groups of four (`7KQ2-M9XD-…`).
///
/// The check symbol makes Σ α^(i+1)·v_i = 0 in GF(32); because every weight is
/// non-zero and neighbouring weights differ, any single wrong character and
/// any swap of two neighbouring characters is caught (proto/PROTOCOL.md §6).
///
/// The codename is a secret: it is held in ``SecureBytes`` and never printed by
/// ``description``.
public final class Codename: Sendable, CustomStringConvertible {
    public static let dataSymbolCount = 27
    public static let symbolCount = dataSymbolCount + 1

    /// The 28 canonical upper-case ASCII symbols, no separators.
    private let canonical: SecureBytes

    /// A fresh codename from `random`. Each symbol takes the low five bits of
    /// one random byte, which is uniform because 32 divides 256.
    public init(random: some RandomSource = SystemRandom()) {
        let randomBytes = random.secret(Self.dataSymbolCount)
        canonical = SecureBytes(count: Self.symbolCount) { out in
            var values = [UInt8](repeating: 0, count: Self.dataSymbolCount)
            randomBytes.withUnsafeBytes { r in
                for i in 0..<Self.dataSymbolCount { values[i] = r[i] & 31 }
            }
            let check = GF32.checkSymbol(for: values)
            for i in 0..<Self.dataSymbolCount { out[i] = Base32.alphabet[Int(values[i])] }
            out[Self.dataSymbolCount] = Base32.alphabet[Int(check)]
            for i in values.indices { values[i] = 0 }
        }
    }

    /// Parses a typed codename: case-insensitive, separators (`-`, space) ignored,
    /// Crockford's aliases accepted. Throws on a wrong length, a foreign
    /// character, or a failed check.
    public init(parsing text: String) throws(CodenameError) {
        let values: [UInt8]
        switch Base32.normalize(text) {
        case .success(let v): values = v
        case .failure(let f): throw .invalidCharacter(position: f.position)
        }
        guard values.count == Self.symbolCount else { throw .wrongLength(values.count) }
        guard GF32.syndrome(values) == 0 else { throw .checkFailed }
        canonical = SecureBytes(count: Self.symbolCount) { out in
            for i in 0..<Self.symbolCount { out[i] = Base32.alphabet[Int(values[i])] }
        }
    }

    /// The codename grouped for display. Call only to show it to its owner.
    public func revealed() -> String {
        canonical.withUnsafeBytes { Base32.grouped(String(decoding: $0, as: UTF8.self)) }
    }

    /// Never the codename itself, so that it cannot reach a log by accident.
    public var description: String { "Codename(redacted)" }

    /// Compares two codenames in constant time.
    public func matches(_ other: Codename) -> Bool { canonical.constantTimeEquals(other.canonical) }

    /// Derives the tipster's keys (proto/PROTOCOL.md §6.3):
    ///
    ///     master       = H_32("tipline/v1/codename", canonical)
    ///     reply seed   = H_32("tipline/v1/codename/reply-key", master)
    ///     mailbox seed = H_32("tipline/v1/codename/mailbox-key", master)
    public func deriveKeys() -> CodenameKeys {
        let master = DomainHash.hash(DomainHash.Label.codenameMaster, secret: canonical)
        let replySeed = DomainHash.hash(DomainHash.Label.codenameReply, secret: master)
        let mailboxSeed = DomainHash.hash(DomainHash.Label.codenameMailbox, secret: master)
        return CodenameKeys(replyKey: BoxKeyPair(seed: replySeed), mailboxKey: SigningKeyPair(seed: mailboxSeed),
                            uploadToken: DomainHash.hash(DomainHash.Label.codenameUploadToken, secret: master), master: master)
    }
}
