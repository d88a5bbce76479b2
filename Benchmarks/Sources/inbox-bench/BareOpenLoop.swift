import CSodium
import Dispatch
import Glibc
import TiplineCrypto

/// The baseline: bare libsodium opening the same envelopes and nothing
/// else. For each: find this reader's wrap by key id, `crypto_box_seal_open`
/// the content key, one `crypto_aead_xchacha20poly1305_ietf_decrypt` with
/// the header as associated data. No parsing beyond offsets, no locked
/// memory, no protobuf, one reused output buffer per thread.
struct BareOpenLoop {
    let publicKey: [UInt8]
    let secretKey: [UInt8]
    let keyId: [UInt8]

    init(reader: BoxKeyPair) {
        publicKey = reader.publicKey.bytes
        keyId = reader.publicKey.keyId.bytes
        secretKey = reader.secretKeyCopy().withUnsafeBytes { Array($0) }
    }

    /// Opens envelopes[range]; returns how many opened.
    func open(_ envelopes: [[UInt8]], _ range: Range<Int>) -> Int {
        var opened = 0
        var key = [UInt8](repeating: 0, count: 32)
        var output = [UInt8](repeating: 0, count: 1 << 16)
        for index in range {
            let envelope = envelopes[index]
            envelope.withUnsafeBufferPointer { e in
                let count = Int(e[38])
                var offset = 39
                var wrap = -1
                for r in 0..<count {
                    if memcmp(e.baseAddress! + offset + r * 96, keyId, 16) == 0 { wrap = offset + r * 96 + 16 }
                }
                offset += count * 96
                let nonce = e.baseAddress! + offset
                let header = offset + 24
                guard wrap >= 0, crypto_box_seal_open(&key, e.baseAddress! + wrap, 80, publicKey, secretKey) == 0 else { return }
                var length: UInt64 = 0
                if output.count < e.count { output = [UInt8](repeating: 0, count: e.count) }
                if crypto_aead_xchacha20poly1305_ietf_decrypt(&output, &length, nil, e.baseAddress! + header, UInt64(e.count - header),
                                                              e.baseAddress!, UInt64(header), nonce, key) == 0 {
                    opened += 1
                }
            }
        }
        return opened
    }

    /// The same loop split over `workers` threads.
    func openParallel(_ envelopes: [[UInt8]], workers: Int) -> Int {
        let stride = (envelopes.count + workers - 1) / workers
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: workers)
        defer { counts.deallocate() }
        let base = UnsafeSendable(counts.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let range = min(worker * stride, envelopes.count)..<min((worker + 1) * stride, envelopes.count)
            (base.pointer + worker).initialize(to: open(envelopes, range))
        }
        return counts.reduce(0, +)
    }
}

/// A pointer the workers share; each writes only its own slot.
struct UnsafeSendable: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int>
    init(_ pointer: UnsafeMutablePointer<Int>) { self.pointer = pointer }
}
