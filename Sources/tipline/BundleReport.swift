import TiplineCommandLine
import TiplineCrypto

/// A key bundle as people read it: version, validity, and every key by fingerprint.
enum BundleReport {
    struct Member: Encodable {
        let name: String
        let role: String
        let keyId: String
        let fingerprint: String
    }

    struct Report: Encodable {
        let version: UInt64
        let issuedAt: UInt64
        let expiresAt: UInt64
        let organisation: String
        let serverKey: String
        let bundleId: String
        let responders: [Member]
        /// The receiving-key policy (PROTOCOL.md §3.1).
        let receivingWindowSeconds: UInt32
        let receivingGraceSeconds: UInt32
        let withoutReceivingKey: String
    }

    static func print(_ bundle: KeyBundle, json: Bool, note: String?) {
        let report = Report(version: bundle.version, issuedAt: bundle.issuedAt, expiresAt: bundle.expiresAt,
                            organisation: bundle.organisationFingerprint.description, serverKey: Hex.encode(bundle.serverKey.bytes),
                            bundleId: Hex.encode(bundle.id),
                            responders: bundle.responders.map {
                                Member(name: $0.name, role: $0.role.description, keyId: $0.id.description,
                                       fingerprint: $0.fingerprint.description)
                            },
                            receivingWindowSeconds: bundle.receivingKeys.window, receivingGraceSeconds: bundle.receivingKeys.grace,
                            withoutReceivingKey: bundle.receivingKeys.fallback == .identity ? "identity key" : "left out")
        if json {
            try? Console.json(report)
            return
        }
        Console.output("bundle version \(report.version), valid \(Time.format(report.issuedAt)) to \(Time.format(report.expiresAt))")
        Console.output("organisation  \(report.organisation)")
        Console.output("server key    \(report.serverKey)")
        let policy = bundle.receivingKeys
        Console.output("receiving keys valid \(duration(policy.window)), destroyed \(duration(policy.grace)) after; a responder "
            + (policy.fallback == .identity ? "without one gets tips sealed to their long-term key (NOT forward-secret)"
                                            : "without one is left out of a tip")
            + (bundle.format == 1 ? " (format-1 bundle, from before receiving keys)" : ""))
        for member in report.responders {
            // A name may hold bidi or invisible formatting (only controls are
            // refused in a bundle), so it is shown cleaned; and it is padded,
            // never cut, so two names that share a beginning stay apart.
            let name = TerminalText.clean(member.name, newlines: false)
            let padded = name + String(repeating: " ", count: max(0, 16 - name.count))
            Console.output("  \(padded) \(member.role.padding(toLength: 9, withPad: " ", startingAt: 0)) \(member.fingerprint)")
        }
        if let note { Console.error(note) }
    }

    /// 604800 → "7 d", 5400 → "90 min", 45 → "45 s".
    static func duration(_ seconds: UInt32) -> String {
        if seconds % 86_400 == 0 && seconds > 0 { return "\(seconds / 86_400) d" }
        if seconds % 3_600 == 0 && seconds > 0 { return "\(seconds / 3_600) h" }
        if seconds % 60 == 0 && seconds > 0 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }
}
