/// Why a keystore could not be created or unlocked (proto/PROTOCOL.md §7).
public enum KeystoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is shorter than a keystore header.
    case truncated
    /// The file does not start with the magic `TLKS`.
    case badMagic
    /// The keystore's format version is not one this build understands.
    case unsupportedFormat(UInt8)
    /// The key-derivation algorithm byte is not Argon2id.
    case unsupportedKDF(UInt8)
    /// The header's checksum does not match: the header was damaged.
    case damagedHeader
    /// The recorded Argon2id parameters are outside what readers accept.
    case parametersOutOfRange(KeystoreParameters)
    /// The passphrase does not unlock this keystore.
    case wrongPassphrase
    /// The passphrase is right but the encrypted keys do not authenticate or
    /// do not parse: the file was damaged.
    case damagedPayload
    /// The passphrase is empty.
    case emptyPassphrase
    /// The display name is empty, too long or not printable.
    case invalidName
    /// Argon2id could not run with these parameters (usually: not enough memory).
    case keyDerivationFailed
    /// More receiving keys than ``Keystore/maximumReceivingKeys``.
    case tooManyReceivingKeys
    /// Reading or writing the file failed.
    case file(AtomicFile.Failure)

    public var description: String {
        switch self {
        case .truncated: "the keystore file is truncated"
        case .badMagic: "this is not a Tipline keystore"
        case .unsupportedFormat(let v): "the keystore has unsupported format version \(v)"
        case .unsupportedKDF(let k): "the keystore uses unknown key-derivation algorithm \(k)"
        case .damagedHeader: "the keystore's header is damaged"
        case .parametersOutOfRange(let p): "the keystore's key-derivation parameters are out of range (\(p))"
        case .wrongPassphrase: "wrong passphrase for this keystore"
        case .damagedPayload: "the keystore's encrypted keys are damaged"
        case .tooManyReceivingKeys: "the keystore would hold more than \(Keystore.maximumReceivingKeys) receiving keys"
        case .emptyPassphrase: "the passphrase must not be empty"
        case .invalidName: "the name must be 1 to 64 bytes of printable UTF-8"
        case .keyDerivationFailed: "Argon2id failed (not enough memory for the keystore's parameters?)"
        case .file(let f): f.description
        }
    }
}
