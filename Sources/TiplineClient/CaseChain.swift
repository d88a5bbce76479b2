import TiplineCrypto

/// The per-case hash chain (PROTOCOL.md §17.1): each responder event and
/// reply names, inside its signature, the hash of the case's latest envelope
/// its author had seen (the tip's own envelope for the first), so that a
/// reader can tell an event recorded where it was written from one replayed
/// or moved before the events it followed.
public enum CaseChain {
    public static let label = "tipline/v1/case-event"

    /// `H_32("tipline/v1/case-event", envelope)`.
    public static func hash(_ envelope: [UInt8]) -> [UInt8] { DomainHash.hash(label, envelope) }
}
