import CSodium

/// BLAKE2b with a domain-separation label, as defined in proto/PROTOCOL.md §2.3:
///
///     H_n(label, m) = BLAKE2b-n( u8(len(label)) || label || m )
///
/// with no BLAKE2b key. Every hash in Tipline names its purpose, so a hash
/// computed for one purpose can never be replayed as another.
public enum DomainHash {
    /// Computes `H_outputLength(label, parts[0] || parts[1] || ...)`.
    public static func hash(
        _ label: String,
        outputLength: Int = 32,
        _ parts: [UInt8]...
    ) -> [UInt8] {
        hash(label, outputLength: outputLength, parts: parts)
    }

    public static func hash(_ label: String, outputLength: Int = 32, parts: [[UInt8]]) -> [UInt8] {
        Sodium.ensureInitialized()
        precondition((16...64).contains(outputLength), "BLAKE2b output length out of range")
        let labelBytes = Array(label.utf8)
        precondition(labelBytes.count <= 255, "label longer than 255 bytes")
        // The streaming state type is over-aligned and does not import into
        // Swift, so the input is assembled once and hashed in one call.
        var input = [UInt8(labelBytes.count)]
        input.reserveCapacity(1 + labelBytes.count + parts.reduce(0) { $0 + $1.count })
        input.append(contentsOf: labelBytes)
        for part in parts { input.append(contentsOf: part) }
        var out = [UInt8](repeating: 0, count: outputLength)
        crypto_generichash(&out, outputLength, input, UInt64(input.count), nil, 0)
        return out
    }

    /// `H_outputLength(label, secret)` for a secret input, computed entirely in
    /// locked memory: neither the input nor the digest ever sits in an
    /// ordinary array that would outlive it unzeroed.
    public static func hash(_ label: String, secret: SecureBytes, outputLength: Int = 32) -> SecureBytes {
        Sodium.ensureInitialized()
        precondition((16...64).contains(outputLength), "BLAKE2b output length out of range")
        let labelBytes = Array(label.utf8)
        precondition(labelBytes.count <= 255, "label longer than 255 bytes")
        // This closure, label loop then a copy, is the one Swift 6.3.1 miscompiled
        // while SecureBytes took throwing closures (issue 11, swiftlang/swift#90477);
        // scripts/compiler-bugs/check-swifterror-tailcalls keeps the shape out.
        let input = SecureBytes(count: 1 + labelBytes.count + secret.count) { buffer in
            buffer[0] = UInt8(labelBytes.count)
            for (i, byte) in labelBytes.enumerated() { buffer[1 + i] = byte }
            secret.withUnsafeBytes { s in
                UnsafeMutableRawBufferPointer(rebasing: buffer[(1 + labelBytes.count)...]).copyMemory(from: s)
            }
        }
        return SecureBytes(count: outputLength) { out in
            input.withUnsafeBytes { i in
                _ = crypto_generichash(out.baseAddress!.assumingMemoryBound(to: UInt8.self), outputLength,
                                       i.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(i.count), nil, 0)
            }
        }
    }

    /// The same construction with the secret `key` as the BLAKE2b key, for
    /// message authentication (proof-of-work challenges) and for an
    /// envelope's key commitment (``Envelope/keyCommitment(contentKey:committed:)``).
    public static func keyedHash(_ label: String, key: SecureBytes, message: [UInt8]) -> [UInt8] {
        Sodium.ensureInitialized()
        let labelBytes = Array(label.utf8)
        var input = [UInt8(labelBytes.count)]
        input.append(contentsOf: labelBytes)
        input.append(contentsOf: message)
        var out = [UInt8](repeating: 0, count: 32)
        key.withUnsafeBytes { k in
            _ = crypto_generichash(&out, 32, input, UInt64(input.count),
                                   k.baseAddress?.assumingMemoryBound(to: UInt8.self), k.count)
        }
        return out
    }

    /// Labels, kept in one place so that the code matches the spec's table.
    public enum Label {
        public static let keyId = "tipline/v1/key-id"
        public static let fingerprint = "tipline/v1/fingerprint"
        public static let bundleId = "tipline/v1/bundle-id"
        public static let bundleSignature = "tipline/v1/bundle-signature"
        public static let codenameMaster = "tipline/v1/codename"
        public static let codenameReply = "tipline/v1/codename/reply-key"
        public static let codenameMailbox = "tipline/v1/codename/mailbox-key"
        public static let codenameUploadToken = "tipline/v1/codename/upload-token"
        public static let codenameAttachmentKey = "tipline/v1/codename/attachment-key"
        public static let mailboxId = "tipline/v1/mailbox-id"
        /// The hash of a stored attachment stream, over its bytes as uploaded.
        public static let attachmentStream = "tipline/v1/attachment"
        /// A program the organisation gives out, as its release signature covers it (§9.1).
        public static let releaseFile = "tipline/v1/release-file"
        public static let powChallenge = "tipline/v1/pow/challenge"
        public static let powSolution = "tipline/v1/pow/solution"
        public static let deterministicRandom = "tipline/v1/deterministic-random"
    }
}
