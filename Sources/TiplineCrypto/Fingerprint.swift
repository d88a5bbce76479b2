import CSodium

/// A 160-bit fingerprint of public-key material, shown so that two people can
/// compare it aloud (proto/PROTOCOL.md §2.5): its 32 Crockford base-32 data
/// symbols and one check symbol, in eleven groups of three
/// (`1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613`).
///
/// `Fingerprint = H_20("tipline/v1/fingerprint", material)` where the material
/// is the organisation's Ed25519 public key, or for a responder
/// `ed25519_pk || x25519_pk`.
///
/// The check symbol is the codename's (§2.6): any single wrong character and
/// any swap of two neighbouring characters, the check symbol included, fails
/// the check, so a typo is told apart from another organisation's key.
public struct Fingerprint: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 20
    /// Symbols that carry the 160 bits, five bits each.
    public static let dataSymbolCount = 32
    /// Symbols of the displayed form: the data symbols and the check symbol.
    public static let symbolCount = dataSymbolCount + 1
    /// Symbols in each group of the displayed form.
    public static let groupSize = 3

    public let bytes: [UInt8]

    public init(publicKeyMaterial: [UInt8]) {
        bytes = DomainHash.hash(DomainHash.Label.fingerprint, outputLength: Self.byteCount, publicKeyMaterial)
    }

    public init(organisationKey: SigningPublicKey) {
        self.init(publicKeyMaterial: organisationKey.bytes)
    }

    public init(signingKey: SigningPublicKey, boxKey: BoxPublicKey) {
        self.init(publicKeyMaterial: signingKey.bytes + boxKey.bytes)
    }

    /// Parses a typed fingerprint: case-insensitive, separators (`-`, space)
    /// ignored, Crockford's aliases accepted, and the check symbol checked.
    ///
    /// - Parameter acceptingLegacyForm: also accept the 32 data symbols alone,
    ///   the form versions before the check symbol printed. Pass `true` only
    ///   where a file those versions wrote is read (§2.5): a 32-symbol text
    ///   may be the current form with a character left out, and only the
    ///   current form tells that apart.
    public init(parsing text: String, acceptingLegacyForm: Bool = false) throws(FingerprintError) {
        let values: [UInt8]
        switch Base32.normalize(text) {
        case .success(let v): values = v
        case .failure(let f): throw .invalidCharacter(position: f.position)
        }
        let data: [UInt8]
        switch values.count {
        case Self.symbolCount:
            guard GF32.syndrome(values) == 0 else { throw .checkFailed }
            data = Array(values.prefix(Self.dataSymbolCount))
        case Self.dataSymbolCount where acceptingLegacyForm:
            data = values
        default:
            throw .wrongLength(values.count)
        }
        guard let decoded = Base32.decode(values: data) else { throw .wrongLength(values.count) }
        bytes = decoded
    }

    /// Whether `text` is a fingerprint in the legacy form: 32 symbols of the
    /// alphabet and no check symbol.
    public static func isLegacyForm(_ text: String) -> Bool {
        guard case .success(let values) = Base32.normalize(text) else { return false }
        return values.count == dataSymbolCount
    }

    /// The 33 symbols of the displayed form, without separators.
    public var symbols: String {
        var values = Base32.values(of: bytes)
        values.append(GF32.checkSymbol(for: values))
        return String(decoding: values.map { Base32.alphabet[Int($0)] }, as: UTF8.self)
    }

    /// `1B6-X4F-2RQ-Z7M-0K9-DTW-3H8-N5C-PAV-2GE-613`: the only form printed.
    public var description: String { Base32.grouped(symbols, size: Self.groupSize) }

    /// Whether this fingerprint's 32 data symbols are `other`'s 33 displayed
    /// symbols with one of them left out. That is what a legacy-form reading
    /// of `other` typed with a character missing gives, so a mismatch of
    /// this shape is a typo, not another organisation; two unrelated
    /// fingerprints have this shape with probability below 33 · 2^-160.
    public func isOneSymbolShort(of other: Fingerprint) -> Bool {
        let short = Array(Base32.encode(bytes).utf8), long = Array(other.symbols.utf8)
        let firstDifference = short.indices.first { short[$0] != long[$0] } ?? short.count
        return short[firstDifference...].elementsEqual(long[(firstDifference + 1)...])
    }

    /// Compares in constant time; fingerprints are public, but a pinned value
    /// is the root of trust and we give timing nothing to measure.
    public func matches(_ other: Fingerprint) -> Bool {
        sodium_memcmp(bytes, other.bytes, Self.byteCount) == 0
    }
}
