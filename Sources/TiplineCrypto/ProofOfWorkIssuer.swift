import CSodium
/// The server's side of proof of work: issues challenges authenticated with
/// its secret key and verifies solutions, keeping no per-challenge state
/// (proto/PROTOCOL.md §8). Reuse of one solution is prevented by the binding:
/// the solution hash covers a hash of the very submission it pays for.
public struct ProofOfWorkIssuer: Sendable {
    public static let keyByteCount = 32
    /// How far in the future an issue time may lie, for clocks that disagree.
    public static let allowedClockSkew: UInt64 = 60

    private let key: SecureBytes

    /// - Parameter key: 32 secret bytes the server keeps (and may rotate).
    public init(key: SecureBytes) {
        precondition(key.count == Self.keyByteCount, "proof-of-work key must be 32 bytes")
        self.key = key
    }

    /// A new challenge valid for `lifetime` seconds from `now`.
    public func issue(purpose: ProofOfWorkPurpose, difficulty: UInt8, now: UInt64, lifetime: UInt64 = 600,
                      random: some RandomSource = SystemRandom()) -> ProofOfWorkChallenge {
        precondition(difficulty <= ProofOfWorkChallenge.maximumDifficulty, "difficulty out of range")
        let unsigned = ProofOfWorkChallenge(purpose: purpose, difficulty: difficulty, issuedAt: now,
                                            expiresAt: now + lifetime,
                                            nonce: random.bytes(ProofOfWorkChallenge.nonceByteCount), tag: [])
        return ProofOfWorkChallenge(purpose: purpose, difficulty: difficulty, issuedAt: now,
                                    expiresAt: now + lifetime, nonce: unsigned.nonce,
                                    tag: DomainHash.keyedHash(DomainHash.Label.powChallenge, key: key, message: unsigned.body))
    }

    /// Verifies, in this order: structure, tag, purpose, time, work.
    public func verify(challenge bytes: [UInt8], purpose: ProofOfWorkPurpose, binding: [UInt8],
                       counter: UInt64, now: UInt64) throws(ProofOfWorkError) {
        let challenge = try ProofOfWorkChallenge(parsing: bytes)
        // Compared in constant time. The expected tag needs no locked memory
        // (it authenticates, it opens nothing), and allocating some for every
        // submission cost an mmap and mprotect each.
        let expected = DomainHash.keyedHash(DomainHash.Label.powChallenge, key: key, message: challenge.body)
        guard expected.count == challenge.tag.count, sodium_memcmp(expected, challenge.tag, expected.count) == 0 else {
            throw .forged
        }
        guard challenge.purpose == purpose else { throw .wrongPurpose(challenge.purpose) }
        guard now < challenge.expiresAt else { throw .expired }
        guard challenge.issuedAt <= now + Self.allowedClockSkew else { throw .notYetValid }
        let hash = challenge.solutionHash(binding: binding, counter: counter)
        guard ProofOfWorkChallenge.leadingZeroBits(hash) >= Int(challenge.difficulty) else { throw .insufficientWork }
    }
}
