import CSodium

/// Argon2id cost parameters recorded in a keystore file (proto/PROTOCOL.md §7).
public struct KeystoreParameters: Hashable, Sendable, CustomStringConvertible {
    /// Passes over memory (`crypto_pwhash` opslimit).
    public let opsLimit: UInt64
    /// Memory in bytes (`crypto_pwhash` memlimit).
    public let memLimit: UInt64

    public init(opsLimit: UInt64, memLimit: UInt64) {
        self.opsLimit = opsLimit
        self.memLimit = memLimit
    }

    /// libsodium's MODERATE: 3 passes over 256 MiB (about 1.4 s here). The
    /// default for every keystore a person uses.
    public static let moderate = KeystoreParameters(
        opsLimit: UInt64(crypto_pwhash_opslimit_moderate()), memLimit: UInt64(crypto_pwhash_memlimit_moderate()))
    /// libsodium's SENSITIVE: 4 passes over 1 GiB, for organisation keys kept offline.
    public static let sensitive = KeystoreParameters(
        opsLimit: UInt64(crypto_pwhash_opslimit_sensitive()), memLimit: UInt64(crypto_pwhash_memlimit_sensitive()))
    /// The weakest parameters libsodium allows (1 pass, 8 KiB). Only tests and
    /// test vectors use these, and they say so wherever they do.
    public static let insecureForTesting = KeystoreParameters(
        opsLimit: UInt64(crypto_pwhash_opslimit_min()), memLimit: UInt64(crypto_pwhash_memlimit_min()))

    /// Readers refuse parameters above these, so a hostile file cannot make
    /// unlocking take minutes or exhaust memory.
    public static let maximumOpsLimit: UInt64 = 16
    public static let maximumMemLimit: UInt64 = 4 * 1024 * 1024 * 1024

    /// True when libsodium accepts the values and they are within our ceilings.
    public var isWithinLimits: Bool {
        opsLimit >= UInt64(crypto_pwhash_opslimit_min()) && opsLimit <= Self.maximumOpsLimit
            && memLimit >= UInt64(crypto_pwhash_memlimit_min()) && memLimit <= Self.maximumMemLimit
    }

    /// True when at least as strong as MODERATE, the floor for real use.
    public var meetsModerate: Bool {
        opsLimit >= Self.moderate.opsLimit && memLimit >= Self.moderate.memLimit
    }

    public var description: String {
        "Argon2id13, opslimit \(opsLimit), memlimit \(memLimit / 1024 / 1024) MiB"
    }
}
