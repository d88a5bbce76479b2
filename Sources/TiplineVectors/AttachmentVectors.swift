import TiplineCrypto

/// Attachment-stream cases (proto/PROTOCOL.md §5).
enum AttachmentVectors {
    static func make() throws -> [VectorFile] {
        let random = SeededRandom(seed: "attachment")
        let key = AttachmentStream.newKey(random: random)
        let keyHex = key.withUnsafeBytes { Hex.encode($0) }

        func stream(_ plaintext: [UInt8]) throws -> [UInt8] {
            var out = [UInt8]()
            var offset = 0
            try AttachmentStream.encrypt(key: key, random: random, read: { buffer in
                let n = min(buffer.count, plaintext.count - offset)
                // The source pointer is used only inside withUnsafeBytes: returning
                // it from the closure (as this line once did) is undefined behaviour.
                plaintext.withUnsafeBytes { p in
                    buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: p[offset..<(offset + n)]))
                }
                offset += n
                return n
            }, write: { out += $0 })
            return out
        }
        func file(_ name: String, _ comment: String, _ bytes: [UInt8], expect: String = "success",
                  content: [UInt8]? = nil) -> VectorFile {
            var headers: [(String, String)] = [("format", "attachment"), ("expect", expect), ("comment", comment),
                                               ("attachment-key", keyHex)]
            if let content { headers.append(("content-blake2b", Hex.encode(DomainHash.hash("tipline/v1/test-vector", content)))) }
            return VectorFile(name: name, headers: headers, body: bytes)
        }

        let small = Array("a photo of the compound gate".utf8)
        let full = (0..<AttachmentStream.chunkSize).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let twoChunks = full + [1, 2, 3]
        let smallStream = try stream(small)
        let fullStream = try stream(full)
        let twoStream = try stream(twoChunks)
        let header = AttachmentStream.headerByteCount
        let firstChunkEnd = header + AttachmentStream.chunkSize + AttachmentStream.chunkOverhead

        // A full MESSAGE chunk followed by an empty FINAL chunk: authentic but not canonical.
        let manual = AttachmentEncryptor(key: key, random: random)
        let emptyFinal = manual.header + manual.push(full[...], final: false) + manual.push([], final: true)

        var tampered = smallStream
        tampered[header + 3] ^= 1
        var badMagic = smallStream
        badMagic[0] = 0x58
        var badVersion = smallStream
        badVersion[4] = 2
        return [
            file("attachment_valid_empty", "an empty file: one empty FINAL chunk", try stream([]), content: []),
            file("attachment_valid_small", "a short file in one FINAL chunk", smallStream, content: small),
            file("attachment_valid_exact_chunk", "exactly 65536 bytes: one full FINAL chunk", fullStream, content: full),
            file("attachment_valid_two_chunks", "65539 bytes: a full MESSAGE chunk and a 3-byte FINAL chunk", twoStream,
                 content: twoChunks),
            file("attachment_truncated_final", "the FINAL chunk removed", Array(twoStream[0..<firstChunkEnd]),
                 expect: "truncated"),
            file("attachment_header_only", "the stream header and nothing else", Array(smallStream[0..<header]),
                 expect: "truncated"),
            file("attachment_truncated_chunk", "the last byte of the only chunk removed", Array(smallStream.dropLast()),
                 expect: "chunkAuthenticationFailed"),
            file("attachment_reordered_chunks", "the FINAL chunk moved before the MESSAGE chunk",
                 Array(twoStream[0..<header]) + Array(twoStream[firstChunkEnd...]) + Array(twoStream[header..<firstChunkEnd]),
                 expect: "chunkAuthenticationFailed"),
            file("attachment_tampered_chunk", "one bit of ciphertext flipped", tampered, expect: "chunkAuthenticationFailed"),
            file("attachment_trailing_data", "a byte after a full-size FINAL chunk", fullStream + [0], expect: "trailingData"),
            file("attachment_byte_after_short_final", "a byte after a short FINAL chunk: read as part of that chunk",
                 smallStream + [0], expect: "chunkAuthenticationFailed"),
            file("attachment_empty_final_after_data", "a full MESSAGE chunk then an empty FINAL chunk", emptyFinal,
                 expect: "nonCanonicalChunking"),
            file("attachment_truncated_header", "10 bytes", Array(smallStream[0..<10]), expect: "truncatedHeader"),
            file("attachment_bad_magic", "magic is XLAT", badMagic, expect: "badMagic"),
            file("attachment_unsupported_format", "format byte 2", badVersion, expect: "unsupportedFormat"),
        ]
    }
}
