import CSodium
import TiplineCrypto

/// Attachment encrypt and decrypt MB/s through the streaming API, ours against
/// a bare secretstream loop, with an in-memory source and sink so that no
/// disk is measured.
enum AttachmentBench {
    /// Ciphertext is fed to ours in 64 KiB pieces, as a network or file read
    /// would deliver it; they do not line up with the 64 KiB + 17 byte chunks,
    /// so the decryptor's buffering is exercised as in real use.
    static let feedSize = 64 * 1024

    static func run(_ options: Options) throws -> [CaseResult] {
        let size = options.attachmentMiB * 1024 * 1024
        let megabytes = Double(size) / 1_000_000
        let key = AttachmentStream.newKey()
        let bare = BareAttachment(key: key)

        let plaintext = ScratchBuffer(count: size)
        randombytes_buf(plaintext.base, size)
        let source = UnsafeBufferPointer(plaintext.bytes)
        let streamLength = Int(AttachmentStream.encryptedLength(ofPlaintextLength: UInt64(size)))
        let oursSink = ScratchBuffer(count: streamLength)
        let bareSink = ScratchBuffer(count: streamLength)
        let plainSink = ScratchBuffer(count: size)

        // Untimed cross-checks; they also give the ciphertext the decrypt cases use.
        let oursLength = try encryptOurs(key: key, source: source, sink: oursSink)
        let bareLength = try bare.encrypt(source, into: bareSink)
        guard oursLength == streamLength, bareLength == streamLength else {
            throw CheckFailed("stream lengths: ours \(oursLength), bare \(bareLength), expected \(streamLength)")
        }
        let ciphertext = Array(oursSink.bytes[0..<streamLength])
        let bareCiphertext = Array(bareSink.bytes[0..<streamLength])
        for (name, stream) in [("our", ciphertext), ("the bare", bareCiphertext)] {
            plainSink.bytes.update(repeating: 0)
            guard try decryptOurs(key: key, stream: stream, sink: plainSink) == size,
                  plainSink.prefixEquals(source, count: size)
            else { throw CheckFailed("ours does not decrypt \(name) stream to the plaintext") }
        }
        plainSink.bytes.update(repeating: 0)
        guard try ciphertext.withUnsafeBufferPointer({ try bare.decrypt($0, into: plainSink) }) == size,
              plainSink.prefixEquals(source, count: size)
        else { throw CheckFailed("bare does not decrypt our stream to the plaintext") }

        var results: [CaseResult] = []
        let label = "\(options.attachmentMiB) MiB"
        let encrypt = try Harness.compare(
            unitsPerOp: megabytes, options: options,
            ours: { _ = try encryptOurs(key: key, source: source, sink: oursSink) },
            bare: { _ = try bare.encrypt(source, into: bareSink) })
        results.append(CaseResult(id: "attachment.encrypt", operation: "attachment encrypt, \(label)",
                                  unit: .megabytesPerSecond, pair: encrypt))
        Progress.report(results.last!)

        // Both sides decrypt the same stream, encrypted by ours.
        let decrypt = try Harness.compare(
            unitsPerOp: megabytes, options: options,
            ours: { _ = try decryptOurs(key: key, stream: ciphertext, sink: plainSink) },
            bare: { _ = try ciphertext.withUnsafeBufferPointer { try bare.decrypt($0, into: plainSink) } })
        results.append(CaseResult(id: "attachment.decrypt", operation: "attachment decrypt, \(label)",
                                  unit: .megabytesPerSecond, pair: decrypt))
        Progress.report(results.last!)
        return results
    }

    /// `AttachmentStream.encrypt` reading from `source` and writing to `sink`,
    /// both in memory; returns the stream's length.
    static func encryptOurs(key: SecureBytes, source: UnsafeBufferPointer<UInt8>, sink: ScratchBuffer) throws -> Int {
        var read = 0
        var written = 0
        try AttachmentStream.encrypt(
            key: key,
            read: { buffer in
                let n = min(buffer.count, source.count - read)
                if n > 0 { buffer.baseAddress!.copyMemory(from: source.baseAddress! + read, byteCount: n) }
                read += n
                return n
            },
            write: { piece in
                guard written + piece.count <= sink.bytes.count else { throw CheckFailed("stream overflows its sink") }
                (sink.base + written).update(from: piece, count: piece.count)
                written += piece.count
            })
        return written
    }

    /// `AttachmentDecryptor` fed `stream` in ``feedSize`` pieces, writing the
    /// plaintext to `sink`; returns the plaintext length.
    static func decryptOurs(key: SecureBytes, stream: [UInt8], sink: ScratchBuffer) throws -> Int {
        let decryptor = AttachmentDecryptor(key: key)
        var written = 0
        let emit = { (c: UnsafeRawBufferPointer) throws in
            guard written + c.count <= sink.bytes.count else { throw CheckFailed("plaintext overflows its sink") }
            if c.count > 0 { UnsafeMutableRawPointer(sink.base + written).copyMemory(from: c.baseAddress!, byteCount: c.count) }
            written += c.count
        }
        var offset = 0
        while offset < stream.count {
            let end = min(offset + feedSize, stream.count)
            try decryptor.feed(stream[offset..<end], emit: emit)
            offset = end
        }
        try decryptor.finish(emit: emit)
        return written
    }
}
