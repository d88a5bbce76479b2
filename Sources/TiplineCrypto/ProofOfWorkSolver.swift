/// The client's side of proof of work: tries counters from 0 upward until a
/// solution hash has enough leading zero bits.
public enum ProofOfWorkSolver {
    /// Solves `challenge` for `binding` (a 32-byte hash of the submission).
    ///
    /// - Parameters:
    ///   - progress: called every 4096 attempts with the attempts so far; the
    ///     expected total is 2^difficulty. Return `false` to cancel.
    /// - Returns: the counter that solves the challenge.
    public static func solve(_ challenge: ProofOfWorkChallenge, binding: [UInt8],
                             progress: (UInt64) -> Bool = { _ in true }) throws(ProofOfWorkError) -> UInt64 {
        let needed = Int(challenge.difficulty)
        var counter: UInt64 = 0
        while true {
            if ProofOfWorkChallenge.leadingZeroBits(challenge.solutionHash(binding: binding, counter: counter)) >= needed {
                return counter
            }
            counter &+= 1
            if counter & 0xFFF == 0 && !progress(counter) { throw .cancelled }
        }
    }

    /// The expected number of attempts for a difficulty.
    public static func expectedAttempts(difficulty: UInt8) -> UInt64 { 1 << UInt64(difficulty) }
}
