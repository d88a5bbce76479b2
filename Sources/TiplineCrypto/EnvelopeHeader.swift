/// The public part of an envelope, parsed and checked for canonical form
/// without any key (proto/PROTOCOL.md §4.1). The server and the auditor use
/// it to validate structure; the opener uses it before decrypting.
///
/// ```
/// +-------+--------+------+---------+-------+-----------------------------+-------+------------+------------+
/// | magic | format | kind | context | count | count × (key_id || wrapped) | nonce | commitment | ciphertext |
/// | 4     | 1      | 1    | 32      | 1     | count × (16 + 80)           | 24    | 32 (fmt 2) | P + 16     |
/// +-------+--------+------+---------+-------+-----------------------------+-------+------------+------------+
/// ```
///
/// Format 1 has no `commitment`; its nonce is followed by the ciphertext.
public struct EnvelopeHeader: Sendable {
    public let format: EnvelopeFormat
    public let kind: EnvelopeKind
    /// The bundle id, or for replies the mailbox id.
    public let context: [UInt8]
    /// In strictly ascending key-id order.
    public let recipients: [EnvelopeRecipient]
    public let nonce: [UInt8]
    /// Format 2: the key commitment, 32 bytes. Format 1: `nil`.
    public let commitment: [UInt8]?
    /// The header's length in bytes: the authenticated data.
    public let byteCount: Int
    /// The padded content length P (the ciphertext is P + 16 bytes).
    public let paddedLength: Int

    /// The bytes the commitment covers: the header from `magic` through `nonce`.
    public var committedByteCount: Int { byteCount - format.commitmentByteCount }

    /// The recipients' key ids, in envelope order.
    public var recipientKeyIds: [KeyId] { recipients.map(\.keyId) }

    /// Parses and checks everything that can be checked without a key.
    public init(parsing envelope: [UInt8]) throws(EnvelopeError) {
        var r = ByteReader(envelope)
        do {
            guard try r.readBytes(4) == Envelope.magic else { throw EnvelopeError.badMagic }
            let formatByte = try r.readUInt8()
            guard let format = EnvelopeFormat(rawValue: formatByte) else { throw EnvelopeError.unsupportedFormat(formatByte) }
            let kindByte = try r.readUInt8()
            guard let kind = EnvelopeKind(rawValue: kindByte) else { throw EnvelopeError.unknownKind(kindByte) }
            let context = try r.readBytes(Envelope.contextByteCount)
            let count = Int(try r.readUInt8())
            guard count > 0 else { throw EnvelopeError.noRecipients }
            guard count <= Envelope.maxRecipients else { throw EnvelopeError.tooManyRecipients(count) }
            var recipients = [EnvelopeRecipient]()
            recipients.reserveCapacity(count)
            for _ in 0..<count {
                let id = KeyId(bytes: try r.readBytes(KeyId.byteCount))!
                let wrapped = try r.readBytes(EnvelopeRecipient.wrappedKeyByteCount)
                if let previous = recipients.last {
                    if previous.keyId == id { throw EnvelopeError.duplicateRecipient }
                    if !(previous.keyId < id) { throw EnvelopeError.recipientsNotSorted }
                }
                recipients.append(EnvelopeRecipient(keyId: id, wrappedKey: wrapped))
            }
            let nonce = try r.readBytes(Envelope.nonceByteCount)
            let commitment = format == .keyCommitting ? try r.readBytes(Envelope.commitmentByteCount) : nil
            let ciphertextLength = r.remaining
            guard ciphertextLength >= EnvelopePadding.minimumPaddedLength + Envelope.tagByteCount else {
                throw EnvelopeError.truncated
            }
            let padded = ciphertextLength - Envelope.tagByteCount
            guard EnvelopePadding.isValidPaddedLength(padded) else {
                throw EnvelopeError.invalidCiphertextLength(ciphertextLength)
            }
            self.format = format
            self.kind = kind
            self.context = context
            self.recipients = recipients
            self.nonce = nonce
            self.commitment = commitment
            self.byteCount = r.offset
            self.paddedLength = padded
        } catch let error as EnvelopeError {
            throw error
        } catch {
            throw .truncated
        }
    }

    /// Checks the header against what the opener expects.
    public func check(_ expected: EnvelopeExpectation) throws(EnvelopeError) {
        guard kind == expected.kind else { throw .unexpectedKind(kind) }
        guard context == expected.context else { throw .contextMismatch }
        let present = Set(recipientKeyIds)
        if let missing = expected.recipients.first(where: { !present.contains($0) }) {
            throw .recipientMissing(missing)
        }
        let wanted = Set(expected.recipients)
        let extras = recipientKeyIds.filter { !wanted.contains($0) }
        if extras.count > expected.extraRecipients, let extra = extras.first {
            throw .unexpectedRecipient(extra)
        }
    }
}
