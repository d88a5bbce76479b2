/// Why the `--db` file could not be read as a Tipline store. Every check
/// that needs the database then fails with this reason.
struct StoreUnreadable: Error, Sendable, CustomStringConvertible {
    let description: String
}
