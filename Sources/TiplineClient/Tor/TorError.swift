/// Why a private `tor` could not be used. The tools turn each case into a
/// sentence for the user (TiplineCommandLine's `TorText`).
public enum TorError: Error, Equatable, Sendable {
    /// No `tor` program: none on `PATH` (nil), or nothing executable at the path given.
    case notFound(path: String?)
    /// No private folder for Tor's data could be made under this directory.
    case noDataDirectory(under: String, errno: Int32)
    /// The system would not start the program.
    case cannotStart(errno: Int32)
    /// Tor ended before it was ready; its last warnings or errors, oldest first.
    case exited(lastProblems: [String])
    /// Not ready by the deadline; how far bootstrapping got (nil: not even started).
    case timedOut(reached: TorBootstrap?)
}
