import CSodium

/// Constants of the attachment stream format (proto/PROTOCOL.md §5):
///
///     stream = magic "TLAT" || format (1) || secretstream_header (24) || chunk_0 || … || chunk_n
///
/// Each chunk is `crypto_secretstream_xchacha20poly1305_push` of 64 KiB of
/// plaintext with tag MESSAGE, except the last, which carries 0 to 64 KiB
/// with tag FINAL. Reordering, dropping or truncating chunks is caught by
/// the secretstream's internal counter and the FINAL tag.
public enum AttachmentStream {
    /// `TLAT`.
    public static let magic: [UInt8] = Array("TLAT".utf8)
    public static let formatVersion: UInt8 = 1
    /// 64 KiB of plaintext per chunk.
    public static let chunkSize = 64 * 1024
    public static let keyByteCount = Int(crypto_secretstream_xchacha20poly1305_KEYBYTES)
    public static let secretstreamHeaderByteCount = Int(crypto_secretstream_xchacha20poly1305_HEADERBYTES)
    /// 4 + 1 + 24.
    public static let headerByteCount = 5 + secretstreamHeaderByteCount
    /// Bytes a chunk's ciphertext adds to its plaintext (17).
    public static let chunkOverhead = Int(crypto_secretstream_xchacha20poly1305_abytes())
    public static let tagMessage = crypto_secretstream_xchacha20poly1305_tag_message()
    public static let tagFinal = crypto_secretstream_xchacha20poly1305_tag_final()

    /// A fresh random attachment key; the tipster puts it inside the sealed tip.
    public static func newKey(random: some RandomSource = SystemRandom()) -> SecureBytes {
        random.secret(keyByteCount)
    }

    /// The ciphertext length of a file of `plaintextLength` bytes.
    public static func encryptedLength(ofPlaintextLength plaintextLength: UInt64) -> UInt64 {
        let chunks = max(1, (plaintextLength + UInt64(chunkSize) - 1) / UInt64(chunkSize))
        return UInt64(headerByteCount) + plaintextLength + chunks * UInt64(chunkOverhead)
    }

    /// Encrypts everything `read` yields, in chunks, and hands each piece of
    /// ciphertext to `write`. Memory stays bounded at two chunks whatever the
    /// file size, because one chunk is read ahead to know which is the last.
    ///
    /// - Parameter read: fills the buffer with up to its count of bytes and
    ///   returns how many it wrote; 0 means end of file.
    public static func encrypt(
        key: SecureBytes,
        random: some RandomSource = SystemRandom(),
        read: (UnsafeMutableRawBufferPointer) throws -> Int,
        write: ([UInt8]) throws -> Void
    ) throws {
        let encryptor = AttachmentEncryptor(key: key, random: random)
        try write(encryptor.header)
        var current = [UInt8](repeating: 0, count: chunkSize)
        var next = [UInt8](repeating: 0, count: chunkSize)
        defer {
            sodium_memzero(&current, current.count)
            sodium_memzero(&next, next.count)
        }
        var currentCount = try fill(&current, read)
        while true {
            let nextCount = currentCount == chunkSize ? try fill(&next, read) : 0
            let isFinal = nextCount == 0
            try write(encryptor.push(current[0..<currentCount], final: isFinal))
            if isFinal { return }
            swap(&current, &next)
            currentCount = nextCount
        }
    }

    /// Reads until the buffer is full or `read` reports end of file.
    private static func fill(_ buffer: inout [UInt8], _ read: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let room = buffer.count - filled
            let n = try buffer.withUnsafeMutableBytes { b in
                try read(UnsafeMutableRawBufferPointer(rebasing: b[filled...]))
            }
            if n <= 0 { break }
            guard n <= room else { throw AttachmentStreamError.readerOverrun(reported: n, room: room) }
            filled += n
        }
        return filled
    }
}
