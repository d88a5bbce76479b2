import TiplineCrypto

/// Proof-of-work cases (proto/PROTOCOL.md §8), at difficulty 8.
enum ProofOfWorkVectors {
    static func make() throws -> [VectorFile] {
        let random = SeededRandom(seed: "pow")
        let key = random.secret(32)
        let issuer = ProofOfWorkIssuer(key: key)
        let binding = DomainHash.hash("tipline/v1/test-vector", Array("the submission".utf8))
        let otherBinding = DomainHash.hash("tipline/v1/test-vector", Array("another submission".utf8))
        let challenge = issuer.issue(purpose: .submitTip, difficulty: 8, now: VectorClock.now, lifetime: 600, random: random)
        let counter = try ProofOfWorkSolver.solve(challenge, binding: binding)
        // The first counter that does not solve it, for the insufficient-work case.
        let failing = (0...UInt64.max).first {
            ProofOfWorkChallenge.leadingZeroBits(challenge.solutionHash(binding: binding, counter: $0)) < 8
        }!
        let keyHex = key.withUnsafeBytes { Hex.encode($0) }
        let bindingFails = ProofOfWorkChallenge.leadingZeroBits(
            challenge.solutionHash(binding: otherBinding, counter: counter)) < 8

        func file(_ name: String, _ comment: String, _ bytes: [UInt8], expect: String = "success",
                  purpose: ProofOfWorkPurpose = .submitTip, binding b: [UInt8] = binding,
                  counter c: UInt64 = counter, now: UInt64 = VectorClock.now) -> VectorFile {
            VectorFile(name: name, headers: [
                ("format", "pow"), ("expect", expect), ("comment", comment), ("pow-key", keyHex),
                ("purpose", String(purpose.rawValue)), ("binding", Hex.encode(b)), ("counter", String(c)),
                ("now", String(now)),
            ], body: bytes)
        }
        let valid = challenge.encoded
        func changed(_ index: Int, _ value: UInt8) -> [UInt8] {
            var b = valid
            b[index] = value
            return b
        }
        let followUp = issuer.issue(purpose: .followUp, difficulty: 0, now: VectorClock.now, random: random)
        var cases = [
            file("pow_valid", "difficulty 8, solved", valid),
            file("pow_insufficient_work", "a counter whose hash has fewer than 8 leading zero bits", valid,
                 expect: "insufficientWork", counter: failing),
            file("pow_forged_tag", "one bit of the tag flipped", changed(78, valid[78] ^ 1), expect: "forged"),
            file("pow_lowered_difficulty", "difficulty byte lowered to 0 without the key", changed(6, 0), expect: "forged"),
            file("pow_extended_expiry", "expiry pushed out without the key", changed(22, valid[22] ^ 0x80), expect: "forged"),
            file("pow_wrong_purpose", "a follow-up challenge spent on a tip", followUp.encoded, expect: "wrongPurpose",
                 counter: 0),
            file("pow_expired", "verified at its expiry time", valid, expect: "expired", now: challenge.expiresAt),
            file("pow_not_yet_valid", "verified more than 60 s before its issue time", valid, expect: "notYetValid",
                 now: challenge.issuedAt - 61),
            file("pow_malformed_length", "78 bytes", Array(valid.dropLast()), expect: "malformed"),
            file("pow_bad_magic", "magic is TLPX", changed(3, 0x58), expect: "badMagic"),
            file("pow_unsupported_format", "version byte 2", changed(4, 2), expect: "unsupportedFormat"),
            file("pow_unknown_purpose", "purpose byte 9", changed(5, 9), expect: "unknownPurpose"),
            file("pow_difficulty_out_of_range", "difficulty 33", changed(6, 33), expect: "difficultyOutOfRange"),
        ]
        if bindingFails {
            cases.append(file("pow_other_binding", "a solution spent on a different submission", valid,
                              expect: "insufficientWork", binding: otherBinding))
        }
        return cases
    }
}
