/// Why an envelope was refused. Each case is a distinct check of
/// proto/PROTOCOL.md §4.4, in the order the opener makes them.
public enum EnvelopeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The header ended before a field was complete, or the ciphertext is
    /// shorter than the smallest padded length plus its tag.
    case truncated
    /// The envelope does not start with the magic `TLEV`.
    case badMagic
    /// The envelope's format version is not one this build understands.
    case unsupportedFormat(UInt8)
    /// The kind byte is not a known ``EnvelopeKind``.
    case unknownKind(UInt8)
    /// The envelope lists no recipients.
    case noRecipients
    /// The envelope lists more than ``Envelope/maxRecipients`` recipients.
    case tooManyRecipients(Int)
    /// Recipients are not in strictly ascending key-id order (reordered).
    case recipientsNotSorted
    /// The same recipient key id appears twice.
    case duplicateRecipient
    /// The ciphertext length is not a padding bucket plus the tag.
    case invalidCiphertextLength(Int)
    /// The content is longer than ``Envelope/maxContentLength``.
    case contentTooLarge(Int)
    /// The envelope is of another kind than expected.
    case unexpectedKind(EnvelopeKind)
    /// The envelope names another bundle (or mailbox) than expected.
    case contextMismatch
    /// An expected recipient has no wrapped key: it was stripped.
    case recipientMissing(KeyId)
    /// A recipient that is not expected was added.
    case unexpectedRecipient(KeyId)
    /// The opener's key is not among the recipients.
    case notARecipient
    /// The wrapped key for the opener's key id does not open: it was tampered
    /// with, or the key id was relabelled.
    case wrappedKeyInvalid
    /// The content key this recipient unwrapped is not the one the envelope's
    /// key commitment names (format 2): the sender wrapped different keys to
    /// different recipients, or the commitment was changed. Checked before
    /// decryption, so no content is ever read under a key the envelope does
    /// not commit to.
    case commitmentMismatch
    /// The header or ciphertext fails authentication: some byte was changed,
    /// or a recipient was stripped, added or reordered without the key.
    case authenticationFailed
    /// The decrypted content is not padded as the spec requires, or is padded
    /// to a larger bucket than its length needs.
    case invalidPadding

    public var description: String {
        switch self {
        case .truncated: "the envelope is truncated"
        case .badMagic: "this is not a Tipline envelope"
        case .unsupportedFormat(let v): "the envelope has unsupported format \(v)"
        case .unknownKind(let k): "the envelope has unknown kind \(k)"
        case .noRecipients: "the envelope has no recipients"
        case .tooManyRecipients(let n): "the envelope has \(n) recipients; at most \(Envelope.maxRecipients) are allowed"
        case .recipientsNotSorted: "the envelope's recipients are not in canonical order"
        case .duplicateRecipient: "the envelope lists a recipient twice"
        case .invalidCiphertextLength(let n): "the envelope's ciphertext length \(n) is not a valid padded length"
        case .contentTooLarge(let n): "the content is \(n) bytes; at most \(Envelope.maxContentLength) fit in an envelope"
        case .unexpectedKind(let k): "the envelope holds a \(k), not what was expected"
        case .contextMismatch: "the envelope was made for a different key bundle"
        case .recipientMissing(let id): "the envelope is missing recipient \(id)"
        case .unexpectedRecipient(let id): "the envelope has an unexpected recipient \(id)"
        case .notARecipient: "the envelope is not addressed to this key"
        case .wrappedKeyInvalid: "the envelope's wrapped key for this recipient does not open"
        case .commitmentMismatch:
            "the envelope's key commitment does not match this recipient's key: it was altered, or its sender gave recipients different keys"
        case .authenticationFailed: "the envelope failed authentication: it was altered"
        case .invalidPadding: "the envelope's content padding is invalid"
        }
    }
}
