/// The organisation's rules for receiving keys, carried in a format-2 key
/// bundle (proto/PROTOCOL.md §3.1, §3.4–§3.6): how long each responder's
/// receiving key is valid, how long its private half is kept after that, and
/// what a sealer does for a responder with no valid receiving key.
public struct ReceivingKeyPolicy: Hashable, Sendable {
    /// What a sealer does for a responder without a valid receiving key.
    public enum Fallback: UInt8, Sendable {
        /// Leave the responder out (`RK_POLICY_SKIP`): forward secrecy first.
        case skip = 1
        /// Wrap to the responder's identity key (`RK_POLICY_IDENTITY`), which
        /// is not forward-secret: reachability first.
        case identity = 2
    }

    public static let minimumWindow: UInt32 = 60
    public static let maximumWindow: UInt32 = 7_776_000
    public static let maximumGrace: UInt32 = 31_536_000
    /// 7 days: CoverDrop's rotation period, long enough that a responder on
    /// leave for a week does not silently drop out of every tip.
    public static let defaultWindow: UInt32 = 604_800
    /// 14 days: time for every responder to sync what was sealed to a key
    /// into their case archive before the key is gone.
    public static let defaultGrace: UInt32 = 1_209_600

    /// What a new bundle says unless the organisation chooses otherwise.
    public static let standard = ReceivingKeyPolicy(unchecked: defaultWindow, defaultGrace, .skip)
    /// How a format-1 bundle, written before receiving keys, is read: tips go
    /// to identity keys, as they always did.
    public static let legacy = ReceivingKeyPolicy(unchecked: defaultWindow, defaultGrace, .identity)

    /// Seconds each receiving key is valid.
    public let window: UInt32
    /// Seconds a receiving key's private half is kept after its window closes.
    public let grace: UInt32
    public let fallback: Fallback

    public init(window: UInt32, grace: UInt32, fallback: Fallback) throws(KeyBundleError) {
        guard (Self.minimumWindow...Self.maximumWindow).contains(window), grace <= Self.maximumGrace else {
            throw .invalidPolicy
        }
        self.init(unchecked: window, grace, fallback)
    }

    private init(unchecked window: UInt32, _ grace: UInt32, _ fallback: Fallback) {
        self.window = window
        self.grace = grace
        self.fallback = fallback
    }
}
