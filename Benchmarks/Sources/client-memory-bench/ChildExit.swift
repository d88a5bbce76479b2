/// How a child process ended, and the most memory it ever had resident.
struct ChildExit: Sendable {
    /// The exit code, or 128 + the signal that ended it.
    let status: Int32
    /// `ru_maxrss` from `wait4`: the process's VmHWM as it exited, in KiB.
    let peakResidentKiB: Int
    let seconds: Double
    let stdout: String
    let stderr: String
}
