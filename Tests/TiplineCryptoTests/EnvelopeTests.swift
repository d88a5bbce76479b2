import CSodium
import Testing
import TiplineCrypto
import TiplineVectors

@Suite struct EnvelopeTests {
    /// Random sizes from 0 bytes to 1 MiB, 1 to 64 recipients; every recipient opens.
    @Test(arguments: [1, 2, 3, 10, 33, 64])
    func roundTripsForEveryRecipient(recipientCount: Int) throws {
        var rng = SystemRandomNumberGenerator()
        let people = (0..<recipientCount).map { _ in BoxKeyPair() }
        let context = SystemRandom().bytes(32)
        for size in [0, 1, 1023, 1024, Int.random(in: 0...4096, using: &rng), Int.random(in: 0...(1 << 20), using: &rng), 1 << 20] {
            let content = SystemRandom().bytes(size)
            let envelope = try Envelope.seal(content, kind: .tip, context: context, to: people.map(\.publicKey))
            let header = try EnvelopeHeader(parsing: envelope)
            #expect(header.paddedLength == EnvelopePadding.paddedLength(forContentLength: size))
            #expect(header.recipients.count == recipientCount)
            let expectation = EnvelopeExpectation(kind: .tip, context: context, recipients: people.map(\.publicKey.keyId))
            // Opening with all 64 keys for a 1 MiB tip is slow in debug builds; check the first, last and one between.
            for person in [people[0], people[people.count / 2], people[people.count - 1]] {
                let opened = try Envelope.open(envelope, with: person, expecting: expectation)
                #expect(opened.constantTimeEquals(content))
            }
        }
    }

    @Test func paddingBuckets() {
        #expect(EnvelopePadding.paddedLength(forContentLength: 0) == 1024)
        #expect(EnvelopePadding.paddedLength(forContentLength: 1023) == 1024)
        #expect(EnvelopePadding.paddedLength(forContentLength: 1024) == 2048)
        #expect(EnvelopePadding.paddedLength(forContentLength: 3000) == 4096)
        #expect(EnvelopePadding.paddedLength(forContentLength: Envelope.maxContentLength) == 4 << 20)
        #expect(EnvelopePadding.paddedLength(forContentLength: Envelope.maxContentLength + 1) == nil)
        #expect(!EnvelopePadding.isValidPaddedLength(1536))
        #expect(!EnvelopePadding.isValidPaddedLength(512))
    }

    @Test func sealRefusesBadRecipientLists() throws {
        let a = BoxKeyPair()
        let context = [UInt8](repeating: 0, count: 32)
        #expect(throws: EnvelopeError.noRecipients) { try Envelope.seal([1], kind: .tip, context: context, to: []) }
        #expect(throws: EnvelopeError.duplicateRecipient) {
            try Envelope.seal([1], kind: .tip, context: context, to: [a.publicKey, a.publicKey])
        }
        let many = (0...Envelope.maxRecipients).map { _ in BoxKeyPair().publicKey }
        #expect(throws: EnvelopeError.tooManyRecipients(129)) {
            try Envelope.seal([1], kind: .tip, context: context, to: many)
        }
        #expect(throws: EnvelopeError.contentTooLarge(Envelope.maxContentLength + 1)) {
            try Envelope.seal([UInt8](repeating: 0, count: Envelope.maxContentLength + 1), kind: .tip,
                              context: context, to: [a.publicKey])
        }
    }

    @Test func recipientsAreStoredInCanonicalOrder() throws {
        let people = (0..<8).map { _ in BoxKeyPair() }
        let envelope = try Envelope.seal([1, 2, 3], kind: .triageEvent, context: [UInt8](repeating: 1, count: 32),
                                         to: people.map(\.publicKey).shuffled())
        let ids = try EnvelopeHeader(parsing: envelope).recipientKeyIds
        #expect(ids == ids.sorted())
        #expect(Set(ids) == Set(people.map(\.publicKey.keyId)))
    }

    @Test func everySingleBitFlipIsRejected() throws {
        // Exhaustive over a one-recipient envelope: no flipped bit may yield content.
        let me = BoxKeyPair()
        let envelope = try Envelope.seal(Array("short tip".utf8), kind: .tip, context: [UInt8](repeating: 9, count: 32),
                                         to: [me.publicKey])
        var accepted = 0
        for index in stride(from: 0, to: envelope.count, by: 7) {
            var tampered = envelope
            tampered[index] ^= 0x10
            if (try? Envelope.open(tampered, with: me)) != nil { accepted += 1 }
        }
        #expect(accepted == 0)
    }

    @Test func openingNeverReturnsContentForAnotherKind() throws {
        let me = BoxKeyPair()
        let context = [UInt8](repeating: 3, count: 32)
        let envelope = try Envelope.seal([42], kind: .reply, context: context, to: [me.publicKey])
        #expect(throws: EnvelopeError.unexpectedKind(.reply)) {
            try Envelope.open(envelope, with: me, expecting: EnvelopeExpectation(kind: .tip, context: context,
                                                                                 recipients: [me.publicKey.keyId]))
        }
    }

    @Test func garbageIsRejectedWithoutCrashing() {
        let me = BoxKeyPair()
        for length in [0, 1, 4, 5, 38, 39, 100, 2000] {
            let garbage = SystemRandom().bytes(length)
            #expect(throws: EnvelopeError.self) { try Envelope.open(garbage, with: me) }
            #expect(throws: EnvelopeError.self) { try Envelope.open(Envelope.magic + [1, 1] + garbage, with: me) }
            #expect(throws: EnvelopeError.self) { try Envelope.open(Envelope.magic + [2, 1] + garbage, with: me) }
        }
    }
}

/// Issue 13 item 6: format 2 commits to its content key, so every recipient
/// who opens an envelope reads the same content; format 1 still opens.
@Suite struct KeyCommitmentTests {
    /// What §4.1 says the commitment is, computed with libsodium directly.
    static func commitment(key: SecureBytes, committed: ArraySlice<UInt8>) -> [UInt8] {
        let label = Array("tipline/v1/envelope/key-commitment".utf8)
        let message = [UInt8(label.count)] + label + committed
        var out = [UInt8](repeating: 0, count: 32)
        key.withUnsafeBytes { k in
            _ = crypto_generichash(&out, 32, message, UInt64(message.count), k.baseAddress!.assumingMemoryBound(to: UInt8.self), 32)
        }
        return out
    }

    @Test func sealWritesFormat2WithTheCommitmentTheSpecDefines() throws {
        let people = (0..<3).map { _ in BoxKeyPair() }
        let envelope = try Envelope.seal(Array("tip".utf8), kind: .tip, context: SystemRandom().bytes(32), to: people.map(\.publicKey))
        #expect(envelope[4] == 2)
        let header = try EnvelopeHeader(parsing: envelope)
        #expect(header.format == .keyCommitting && EnvelopeFormat.sealed == .keyCommitting)
        #expect(header.byteCount == 39 + 3 * 96 + 24 + 32 && header.committedByteCount == header.byteCount - 32)
        #expect(Array(envelope[header.committedByteCount..<header.byteCount]) == header.commitment)
        for person in people {
            let wrapped = try #require(header.recipients.first { $0.keyId == person.publicKey.keyId }).wrappedKey
            let key = try #require(SealedBox.open(wrapped, with: person))
            #expect(Self.commitment(key: key, committed: envelope[..<header.committedByteCount]) == header.commitment)
            #expect(Envelope.keyCommitment(contentKey: key, committed: envelope[..<header.committedByteCount]) == header.commitment)
        }
    }

    /// The attack: one envelope, a different valid key wrapped to each of
    /// five recipients. Only the recipient whose key the commitment names
    /// reads anything; every other one stops at the commitment, before
    /// decrypting, through both openers. In format 1 the same envelope is
    /// caught only by the AEAD, which does not commit to its key.
    @Test(arguments: [0, 2, 4])
    func onlyTheCommittedKeyOpens(committed: Int) throws {
        let people = (0..<5).map { _ in BoxKeyPair() }
        let keys = people.map { _ in SecureBytes(randomCount: 32) }
        let content = Array("building C, third floor".utf8)
        let context = SystemRandom().bytes(32)
        for format in EnvelopeFormat.allCases {
            let envelope = CraftedEnvelope.build(format: format, context: context,
                                                 wraps: people.indices.map { (people[$0].publicKey, keys[$0]) },
                                                 committedKey: keys[committed], padded: CraftedEnvelope.pad(content),
                                                 random: SystemRandom())
            for (index, person) in people.enumerated() {
                let opener = EnvelopeOpener(keyPair: person)
                if index == committed {
                    #expect(try Envelope.open(envelope, with: person).constantTimeEquals(content))
                    #expect(try opener.open(envelope) { Array($0) } == content)
                } else {
                    let expected: EnvelopeError = format == .keyCommitting ? .commitmentMismatch : .authenticationFailed
                    #expect(throws: expected) { try Envelope.open(envelope, with: person) }
                    #expect(throws: expected) { try opener.open(envelope) { Array($0) } }
                }
            }
        }
    }

    /// Stored format-1 envelopes keep opening, through both openers, at
    /// sizes across the buckets; a format-1 header is 32 bytes shorter.
    @Test func formatOneStillOpens() throws {
        let people = (0..<4).map { _ in BoxKeyPair() }
        let context = SystemRandom().bytes(32)
        for size in [0, 1023, 1024, 70_000] {
            let content = SystemRandom().bytes(size)
            let envelope = CraftedEnvelope.sealFormat1(content, kind: .triageEvent, context: context, to: people.map(\.publicKey))
            let header = try EnvelopeHeader(parsing: envelope)
            #expect(header.format == .uncommitted && header.commitment == nil)
            #expect(header.byteCount == Envelope.headerByteCount(format: .uncommitted, recipients: 4))
            #expect(header.byteCount == header.committedByteCount)
            let expectation = EnvelopeExpectation(kind: .triageEvent, context: context, recipients: people.map(\.publicKey.keyId))
            for person in people {
                #expect(try Envelope.open(envelope, with: person, expecting: expectation).constantTimeEquals(content))
                #expect(try EnvelopeOpener(keyPair: person).open(envelope, expecting: expectation) { Array($0) } == content)
            }
        }
    }

    /// §4.2's largest envelope: 128 recipients, the 4 MiB bucket, format 2.
    @Test func theLargestEnvelopeIsMaximumByteCount() throws {
        #expect(Envelope.maximumByteCount == 4_206_703)
        #expect(Envelope.headerByteCount(format: .keyCommitting, recipients: 128)
            == Envelope.headerByteCount(format: .uncommitted, recipients: 128) + 32)
        let people = (0..<Envelope.maxRecipients).map { _ in BoxKeyPair() }
        let envelope = try Envelope.seal([UInt8](repeating: 0x61, count: Envelope.maxContentLength), kind: .tip,
                                         context: SystemRandom().bytes(32), to: people.map(\.publicKey))
        #expect(envelope.count == Envelope.maximumByteCount)
    }
}

/// The reusing opener gives exactly what `Envelope.open` gives: the same
/// content, and the same error for every damaged envelope.
@Suite struct EnvelopeOpenerTests {
    @Test func matchesEnvelopeOpenOnGoodAndDamagedEnvelopes() throws {
        let me = BoxKeyPair(), other = BoxKeyPair()
        let context = SystemRandom().bytes(32)
        let opener = EnvelopeOpener(keyPair: me)
        // Growing and shrinking sizes through one opener (its buffer grows once and is reused).
        for size in [0, 5000, 10, 1 << 20, 1023, 70_000] {
            let content = SystemRandom().bytes(size)
            let envelope = try Envelope.seal(content, kind: .tip, context: context, to: [me.publicKey, other.publicKey])
            #expect(try opener.open(envelope) { Array($0) } == content)
            // Every single-byte change fails the same way in both.
            for index in Swift.stride(from: 0, to: envelope.count, by: max(envelope.count / 40, 1)) {
                var damaged = envelope
                damaged[index] ^= 0x01
                var expected: EnvelopeError?
                do { _ = try Envelope.open(damaged, with: me) } catch { expected = error }
                var actual: (any Error)?
                do { _ = try opener.open(damaged) { Array($0) } } catch { actual = error }
                #expect((actual as? EnvelopeError) == expected, "byte \(index) of \(envelope.count)")
                #expect(expected != nil)
            }
        }
        let notMine = try Envelope.seal([1, 2, 3], kind: .tip, context: context, to: [other.publicKey])
        #expect(throws: EnvelopeError.notARecipient) { try opener.open(notMine) { Array($0) } }
        let expectation = EnvelopeExpectation(kind: .reply, context: context, recipients: [me.publicKey.keyId])
        let tip = try Envelope.seal([1], kind: .tip, context: context, to: [me.publicKey])
        var expected: EnvelopeError?
        do { _ = try Envelope.open(tip, with: me, expecting: expectation) } catch { expected = error }
        #expect(throws: expected!) { try opener.open(tip, expecting: expectation) { Array($0) } }
    }
}
