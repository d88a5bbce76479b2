import Testing
import TiplineCrypto

@Suite struct AttachmentStreamTests {
    func encrypt(_ plaintext: [UInt8], key: SecureBytes) throws -> [UInt8] {
        var out = [UInt8]()
        var offset = 0
        try AttachmentStream.encrypt(key: key, read: { buffer in
            // Short reads on purpose, as a pipe or socket would give.
            let n = min(buffer.count, plaintext.count - offset, 10_000)
            plaintext.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + n)])) }
            offset += n
            return n
        }, write: { out += $0 })
        return out
    }

    func decrypt(_ stream: [UInt8], key: SecureBytes, pieceSize: Int) throws -> ([UInt8], Int) {
        let decryptor = AttachmentDecryptor(key: key)
        var plaintext = [UInt8]()
        var offset = 0
        while offset < stream.count {
            let end = min(offset + pieceSize, stream.count)
            try decryptor.feed(stream[offset..<end]) { plaintext += $0 }
            offset = end
        }
        try decryptor.finish { plaintext += $0 }
        return (plaintext, decryptor.peakBufferedBytes)
    }

    @Test(arguments: [0, 1, 65_535, 65_536, 65_537, 3 * 65_536, 1_000_000])
    func roundTrip(size: Int) throws {
        let key = AttachmentStream.newKey()
        let plaintext = SystemRandom().bytes(size)
        let stream = try encrypt(plaintext, key: key)
        #expect(UInt64(stream.count) == AttachmentStream.encryptedLength(ofPlaintextLength: UInt64(size)))
        for piece in [1 << 20, 4093] {
            let (decrypted, peak) = try decrypt(stream, key: key, pieceSize: piece)
            #expect(decrypted == plaintext)
            // Never more than one ciphertext chunk is held, whatever the file size.
            #expect(peak <= AttachmentStream.chunkSize + AttachmentStream.chunkOverhead)
        }
    }

    @Test func largeFileStaysWithinOneChunkOfMemory() throws {
        // 8 MiB streamed through both sides without ever holding the file.
        let key = AttachmentStream.newKey()
        let decryptor = AttachmentDecryptor(key: key)
        var produced: UInt64 = 0, consumed: UInt64 = 0
        let total: UInt64 = 8 << 20
        try AttachmentStream.encrypt(key: key, read: { buffer in
            let n = Int(min(UInt64(buffer.count), total - produced))
            for i in 0..<n { buffer[i] = UInt8(truncatingIfNeeded: produced + UInt64(i)) }
            produced += UInt64(n)
            return n
        }, write: { piece in
            try decryptor.feed(piece) { bytes in
                for (i, b) in bytes.enumerated() where b != UInt8(truncatingIfNeeded: consumed + UInt64(i)) {
                    Issue.record("byte \(consumed + UInt64(i)) differs")
                    break
                }
                consumed += UInt64(bytes.count)
            }
        })
        try decryptor.finish { consumed += UInt64($0.count) }
        #expect(consumed == total)
        #expect(decryptor.peakBufferedBytes <= AttachmentStream.chunkSize + AttachmentStream.chunkOverhead)
    }

    @Test func truncationAtEveryChunkBoundaryIsDetected() throws {
        let key = AttachmentStream.newKey()
        let stream = try encrypt(SystemRandom().bytes(3 * 65_536 + 100), key: key)
        let chunk = AttachmentStream.chunkSize + AttachmentStream.chunkOverhead
        for chunks in 0..<4 {
            let cut = Array(stream[0..<(AttachmentStream.headerByteCount + chunks * chunk)])
            #expect(throws: AttachmentStreamError.truncated) { _ = try decrypt(cut, key: key, pieceSize: 65_536) }
        }
    }

    @Test func readerThatOverrunsItsBufferIsAnError() {
        #expect(throws: AttachmentStreamError.readerOverrun(reported: 65_537, room: 65_536)) {
            try AttachmentStream.encrypt(key: AttachmentStream.newKey(), read: { _ in 65_537 }, write: { _ in })
        }
    }

    @Test func reorderedAndSwappedStreamsAreDetected() throws {
        let key = AttachmentStream.newKey()
        let stream = try encrypt(SystemRandom().bytes(3 * 65_536 + 100), key: key)
        let h = AttachmentStream.headerByteCount, c = AttachmentStream.chunkSize + AttachmentStream.chunkOverhead
        let swapped = Array(stream[0..<h]) + Array(stream[(h + c)..<(h + 2 * c)]) + Array(stream[h..<(h + c)])
            + Array(stream[(h + 2 * c)...])
        #expect(throws: AttachmentStreamError.chunkAuthenticationFailed(index: 0)) {
            _ = try decrypt(swapped, key: key, pieceSize: 1000)
        }
        // A chunk from another stream under the same key does not fit either.
        let other = try encrypt(SystemRandom().bytes(2 * 65_536), key: key)
        let spliced = Array(stream[0..<(h + c)]) + Array(other[(h + c)...])
        #expect(throws: AttachmentStreamError.chunkAuthenticationFailed(index: 1)) {
            _ = try decrypt(spliced, key: key, pieceSize: 1000)
        }
        #expect(throws: AttachmentStreamError.chunkAuthenticationFailed(index: 0)) {
            _ = try decrypt(stream, key: AttachmentStream.newKey(), pieceSize: 1000)
        }
    }
}
