import TiplineCrypto

extension Fingerprint {
    /// An organisation fingerprint as a person or a script passes it
    /// (`--org`, `$TIPLINE_ORG`): the current form only, check symbol
    /// checked, before anything is sent (PROTOCOL.md §2.5). The legacy
    /// 32-symbol form is refused here because it cannot be told apart from
    /// the current form with a character left out; a typo is a usage error,
    /// never "this server is not your organisation's".
    public init(typed text: String, from source: String) throws(ToolFailure) {
        do {
            try self.init(parsing: text)
        } catch {
            throw ToolFailure(.usage, "\(source): \(error)")
        }
    }
}
