import TiplineCrypto

/// Envelope seal/s and open/s, ours against bare libsodium, per recipient count.
enum EnvelopeBench {
    static func run(_ options: Options) throws -> [CaseResult] {
        var results: [CaseResult] = []
        for count in options.recipientCounts {
            let fixture = EnvelopeFixture(recipients: count, contentBytes: options.contentBytes)
            let bare = BareEnvelope(fixture)
            let sealed = try crossCheck(fixture, bare)
            let noun = count == 1 ? "recipient" : "recipients"

            let seal = try Harness.compare(
                unitsPerOp: 1, options: options,
                ours: { _ = try Envelope.seal(fixture.content, kind: .tip, context: fixture.context, to: fixture.publicKeys) },
                bare: { try bare.seal() })
            results.append(CaseResult(
                id: "envelope.seal.\(count)", operation: "envelope seal, \(count) \(noun)",
                unit: .opsPerSecond, pair: seal))
            Progress.report(results.last!)

            // Both sides open the same envelope, sealed by ours.
            let open = try Harness.compare(
                unitsPerOp: 1, options: options,
                ours: { _ = try Envelope.open(sealed, with: fixture.opener, expecting: fixture.expectation) },
                bare: { _ = try bare.open(sealed) })
            results.append(CaseResult(
                id: "envelope.open.\(count)", operation: "envelope open, \(count) \(noun)",
                unit: .opsPerSecond, pair: open))
            Progress.report(results.last!)
        }
        return results
    }

    /// Proves, before anything is timed, that each side opens what the other
    /// seals — so the two really do the same work — and returns an envelope
    /// sealed by ours for the open cases.
    private static func crossCheck(_ fixture: EnvelopeFixture, _ bare: BareEnvelope) throws -> [UInt8] {
        let ours = try Envelope.seal(fixture.content, kind: .tip, context: fixture.context, to: fixture.publicKeys)
        let oursOpened = try Envelope.open(ours, with: fixture.opener, expecting: fixture.expectation)
        guard oursOpened.constantTimeEquals(fixture.content) else {
            throw CheckFailed("ours does not open its own envelope to the content")
        }

        try bare.seal()
        let bareSealed = bare.lastSealed
        guard bareSealed.count == ours.count else {
            throw CheckFailed("bare envelope is \(bareSealed.count) bytes, ours \(ours.count)")
        }
        let bareOpenedByOurs = try Envelope.open(bareSealed, with: fixture.opener, expecting: fixture.expectation)
        guard bareOpenedByOurs.constantTimeEquals(fixture.content) else {
            throw CheckFailed("ours does not open the bare envelope to the content")
        }

        let length = try bare.open(ours)
        guard length == fixture.content.count, bare.openedEquals(fixture.content) else {
            throw CheckFailed("bare does not open our envelope to the content")
        }
        return ours
    }
}

/// A cross-check between ours and the baseline failed: the numbers would not
/// compare like with like, so the run stops.
struct CheckFailed: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = "cross-check failed: " + description }
}
