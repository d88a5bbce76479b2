import TiplineCrypto

/// A text too long to send in one envelope, found before anything is sent
/// and before any proof of work is spent. The limit is PROTOCOL.md §4.2's:
/// content of at most 4,194,303 bytes, whose envelope the server accepts.
public struct TooLongError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The largest envelope a server accepts by default (PROTOCOL.md §12).
    public static let maximumEnvelopeSize = Envelope.maximumByteCount
    /// What was too long: "tip", "reply", "follow-up", "triage note".
    public let what: String
    /// Its size once encoded, in bytes.
    public let bytes: Int
    /// The most that fits, in bytes: one envelope's content unless said otherwise.
    public let limit: Int

    public init(what: String, bytes: Int, limit: Int = Envelope.maxContentLength) {
        self.what = what
        self.bytes = bytes
        self.limit = limit
    }

    public var description: String {
        if limit == Envelope.maxContentLength {
            return "this \(what) is too long to send: it is \(bytes / 1000) KB, and at most about 4,190 KB fit"
                + " (about 4 million letters of English, or 1.4 million of Thai or Burmese)."
                + advice
        }
        return "this \(what) is too long to send: it is \(Self.grouped(bytes)) bytes, and at most \(Self.grouped(limit)) fit"
            + " (about \(limit / 1_000_000) million letters of English, or \(limit / 3_000_000) million of Thai or Burmese)."
            + advice
    }

    /// What the writer can do instead, which depends on what they wrote.
    private var advice: String {
        switch what {
        case "tip": " Shorten it, or put the rest in a file and attach it."
        case "follow-up": " Shorten it, or send it in parts, as several follow-ups."
        case "reply": " Shorten it, or send it in parts, as several replies."
        default: " Shorten it."
        }
    }

    /// 67108864 as "67,108,864".
    static func grouped(_ number: Int) -> String {
        var digits = String(number)
        var index = digits.endIndex
        while digits.distance(from: digits.startIndex, to: index) > 3 {
            index = digits.index(index, offsetBy: -3)
            digits.insert(",", at: index)
        }
        return digits
    }

    /// `Envelope.seal`, refusing in plain words what no server would accept.
    public static func seal(_ content: [UInt8], what: String, kind: EnvelopeKind, context: [UInt8],
                            to recipients: [BoxPublicKey]) throws -> [UInt8] {
        let envelope: [UInt8]
        do {
            envelope = try Envelope.seal(content, kind: kind, context: context, to: recipients)
        } catch EnvelopeError.contentTooLarge {
            throw TooLongError(what: what, bytes: content.count)
        }
        guard envelope.count <= maximumEnvelopeSize else { throw TooLongError(what: what, bytes: content.count) }
        return envelope
    }
}
