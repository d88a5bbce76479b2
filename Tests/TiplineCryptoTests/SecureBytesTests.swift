import TiplineLocking
import Testing
import TiplineCrypto

@Suite(.serialized) struct SecureBytesTests {
    /// Copies what the release hook saw, so the test can inspect it after deinit.
    final class Observed: Sendable {
        let bytes = Locked<[[UInt8]]>([])
    }

    @Test func memoryIsZeroedBeforeRelease() {
        let observed = Observed()
        SecureBytes.releaseObserver.withLock { hook in
            hook = { buffer in observed.bytes.withLock { $0.append(Array(buffer)) } }
        }
        defer { SecureBytes.releaseObserver.withLock { $0 = nil } }
        do {
            let secret = SecureBytes(copying: [UInt8](repeating: 0xA5, count: 64))
            #expect(secret.withUnsafeBytes { Array($0) } == [UInt8](repeating: 0xA5, count: 64))
        }
        let seen = observed.bytes.withLock { $0 }
        // Other suites run in parallel and release their own secrets; find ours by length.
        let ours = seen.filter { $0.count == 64 }
        #expect(!ours.isEmpty)
        #expect(ours.allSatisfy { $0.allSatisfy { $0 == 0 } })
    }

    @Test func keyPairsReleaseZeroedSecrets() {
        let observed = Observed()
        SecureBytes.releaseObserver.withLock { hook in
            hook = { buffer in observed.bytes.withLock { $0.append(Array(buffer)) } }
        }
        defer { SecureBytes.releaseObserver.withLock { $0 = nil } }
        do {
            let pair = SigningKeyPair()
            _ = pair.sign([1, 2, 3], context: "test")
        }
        let seen = observed.bytes.withLock { $0 }
        #expect(seen.contains { $0.count == 64 })
        #expect(seen.allSatisfy { $0.allSatisfy { $0 == 0 } })
    }

    @Test func constantTimeComparison() {
        let a = SecureBytes(copying: [1, 2, 3, 4])
        #expect(a.constantTimeEquals(SecureBytes(copying: [1, 2, 3, 4])))
        #expect(!a.constantTimeEquals(SecureBytes(copying: [1, 2, 3, 5])))
        #expect(!a.constantTimeEquals(SecureBytes(copying: [1, 2, 3])))
        #expect(a.constantTimeEquals([UInt8]([1, 2, 3, 4])))
        #expect(SecureBytes(copying: [UInt8]()).constantTimeEquals(SecureBytes(copying: [UInt8]())))
    }

    /// A decryption writes into the whole capacity and keeps a prefix: only
    /// that prefix is the secret, and the initialiser sees the full capacity.
    @Test func capacityKeepsTheReportedPrefix() {
        var offered = 0
        let secret = SecureBytes(capacity: 48) { buffer in
            offered = buffer.count
            for i in 0..<buffer.count { buffer[i] = UInt8(i) }
            return 5
        }
        #expect(offered == 48)
        #expect(secret.count == 5)
        #expect(secret.withUnsafeBytes { Array($0) } == [0, 1, 2, 3, 4])
        #expect(SecureBytes(capacity: 8) { _ in 0 }.count == 0)
    }

    @Test func randomSecretsDiffer() {
        let a = SecureBytes(randomCount: 32), b = SecureBytes(randomCount: 32)
        #expect(!a.constantTimeEquals(b))
    }

    /// The one call every executable makes at start sets both protections:
    /// the core-file limit (which TipsterEndToEndTests also reads from each
    /// running executable's /proc/PID/limits) and the non-dumpable flag,
    /// which only the process itself can read.
    @Test func coreDumpsCanBeDisabled() throws {
        try ProcessHardening.disableCoreDumps()
        let limit = ProcessHardening.coreDumpLimit()
        #expect(limit.soft == 0 && limit.hard == 0)
        #expect(!ProcessHardening.isDumpable)
    }
}
