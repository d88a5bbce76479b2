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
    }

    static func print(_ bundle: KeyBundle, json: Bool, note: String?) {
        let report = Report(version: bundle.version, issuedAt: bundle.issuedAt, expiresAt: bundle.expiresAt,
                            organisation: bundle.organisationFingerprint.description, serverKey: Hex.encode(bundle.serverKey.bytes),
                            bundleId: Hex.encode(bundle.id),
                            responders: bundle.responders.map {
                                Member(name: $0.name, role: $0.role.description, keyId: $0.id.description,
                                       fingerprint: $0.fingerprint.description)
                            })
        if json {
            try? Console.json(report)
            return
        }
        Console.output("bundle version \(report.version), valid \(Time.format(report.issuedAt)) to \(Time.format(report.expiresAt))")
        Console.output("organisation  \(report.organisation)")
        Console.output("server key    \(report.serverKey)")
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
}
