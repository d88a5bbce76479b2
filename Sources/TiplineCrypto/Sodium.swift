import CSodium

/// The libsodium runtime. Every entry point of TiplineCrypto calls
/// ``Sodium/ensureInitialized()`` first, so callers never have to remember
/// `sodium_init()`.
public enum Sodium {
    /// `sodium_init()` is idempotent and thread-safe, but a lazily initialised
    /// static runs it exactly once and lets us fail loudly if it ever fails:
    /// libsodium without a working RNG must not be used at all.
    private static let initialisation: Int32 = sodium_init()

    /// Runs `sodium_init()` once per process.
    ///
    /// A failure here means the system cannot provide randomness, and no
    /// cryptographic operation may proceed; the process stops rather than
    /// produce weak keys.
    @inline(__always)
    public static func ensureInitialized() {
        precondition(initialisation >= 0, "libsodium failed to initialise: no secure randomness is available")
    }

    /// The version string of the linked libsodium, for the audit's crypto inventory.
    public static var versionString: String {
        ensureInitialized()
        return String(cString: sodium_version_string())
    }
}
