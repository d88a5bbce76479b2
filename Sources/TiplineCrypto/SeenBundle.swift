/// The version and id of the newest key bundle a client or server has
/// accepted, remembered so that an older or forked bundle is refused.
public struct SeenBundle: Hashable, Sendable, Codable {
    public let version: UInt64
    public let id: [UInt8]

    public init(version: UInt64, id: [UInt8]) {
        self.version = version
        self.id = id
    }
}
