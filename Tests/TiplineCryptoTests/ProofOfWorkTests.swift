import Testing
import TiplineCrypto

@Suite struct ProofOfWorkTests {
    let issuer = ProofOfWorkIssuer(key: SecureBytes(randomCount: 32))
    let binding = SystemRandom().bytes(32)

    @Test(arguments: [0, 1, 8, 12])
    func solveAndVerify(difficulty: Int) throws {
        let challenge = issuer.issue(purpose: .submitTip, difficulty: UInt8(difficulty), now: TestKeys.now)
        let counter = try ProofOfWorkSolver.solve(challenge, binding: binding)
        try issuer.verify(challenge: challenge.encoded, purpose: .submitTip, binding: binding, counter: counter,
                          now: TestKeys.now + 10)
    }

    @Test func anotherServersChallengeIsForged() throws {
        let other = ProofOfWorkIssuer(key: SecureBytes(randomCount: 32))
        let challenge = other.issue(purpose: .submitTip, difficulty: 0, now: TestKeys.now)
        #expect(throws: ProofOfWorkError.forged) {
            try issuer.verify(challenge: challenge.encoded, purpose: .submitTip, binding: binding, counter: 0, now: TestKeys.now)
        }
    }

    @Test func expiresAndIsBoundToPurpose() throws {
        let challenge = issuer.issue(purpose: .followUp, difficulty: 0, now: TestKeys.now, lifetime: 60)
        #expect(throws: ProofOfWorkError.wrongPurpose(.followUp)) {
            try issuer.verify(challenge: challenge.encoded, purpose: .submitTip, binding: binding, counter: 0, now: TestKeys.now)
        }
        #expect(throws: ProofOfWorkError.expired) {
            try issuer.verify(challenge: challenge.encoded, purpose: .followUp, binding: binding, counter: 0,
                              now: TestKeys.now + 60)
        }
    }

    @Test func solutionIsBoundToTheSubmission() throws {
        let challenge = issuer.issue(purpose: .submitTip, difficulty: 16, now: TestKeys.now)
        let counter = try ProofOfWorkSolver.solve(challenge, binding: binding)
        // With 16 bits, another binding passes with probability 2^-16; retry bindings until one fails.
        var other = SystemRandom().bytes(32)
        while ProofOfWorkChallenge.leadingZeroBits(challenge.solutionHash(binding: other, counter: counter)) >= 16 {
            other = SystemRandom().bytes(32)
        }
        #expect(throws: ProofOfWorkError.insufficientWork) {
            try issuer.verify(challenge: challenge.encoded, purpose: .submitTip, binding: other, counter: counter,
                              now: TestKeys.now)
        }
    }

    @Test func solvingCanBeCancelled() {
        let challenge = issuer.issue(purpose: .submitTip, difficulty: 32, now: TestKeys.now)
        var calls = 0
        #expect(throws: ProofOfWorkError.cancelled) {
            _ = try ProofOfWorkSolver.solve(challenge, binding: binding) { _ in
                calls += 1
                return calls < 3
            }
        }
    }

    @Test func leadingZeroBits() {
        #expect(ProofOfWorkChallenge.leadingZeroBits([0x00, 0x0F]) == 12)
        #expect(ProofOfWorkChallenge.leadingZeroBits([0x80]) == 0)
        #expect(ProofOfWorkChallenge.leadingZeroBits([0x00, 0x00]) == 16)
    }
}
