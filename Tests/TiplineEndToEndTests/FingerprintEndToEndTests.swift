import Foundation
import Testing
import TiplineCrypto

/// Issue 13, item 8: a mistyped organisation fingerprint reads as a typo,
/// never as an impostor server, in `tip`, `tipline` and `tipline-server`;
/// a well-formed fingerprint of another organisation reads as an impostor.
/// Both exit non-zero, with different codes and words (PROTOCOL.md §2.5).
@Suite(.serialized) struct FingerprintEndToEndTests {
    static let typo = "this fingerprint has a typo"
    static let impostor = "not your organisation's"

    /// Every kind of slip a person makes copying the fingerprint.
    static func typos(of fingerprint: Fingerprint) -> [(String, String)] {
        let symbols = Array(fingerprint.symbols)
        var substituted = symbols
        substituted[4] = substituted[4] == "A" ? "B" : "A"
        var swapped = symbols
        let i = (0..<32).first { swapped[$0] != swapped[$0 + 1] }!
        swapped.swapAt(i, i + 1)
        var checkSwapped = symbols
        checkSwapped.swapAt(31, 32)
        var deleted = symbols
        deleted.remove(at: 7)
        var inserted = symbols
        inserted.insert("7", at: 7)
        var cases = [
            ("a wrong character", Base32.grouped(String(substituted), size: 3)),
            ("neighbours swapped", Base32.grouped(String(swapped), size: 3)),
            ("a character left out", Base32.grouped(String(deleted), size: 3)),
            ("a character added", Base32.grouped(String(inserted), size: 3)),
            ("a character that is not in the alphabet", "U" + fingerprint.description.dropFirst()),
            ("the legacy form, without check symbol", Base32.grouped(Base32.encode(fingerprint.bytes))),
        ]
        if symbols[31] != symbols[32] {
            cases.append(("the check symbol swapped with its neighbour", Base32.grouped(String(checkSwapped), size: 3)))
        }
        return cases
    }

    @Test func typoAndImpostorAreToldApartByTipAndTipline() throws {
        let story = try StoryFixture(name: "fingerprint")
        defer { story.tearDown() }
        let real = try Fingerprint(parsing: story.fingerprint)
        let impostor = Fingerprint(organisationKey: SigningKeyPair().publicKey).description
        let codename = try story.submit("first")

        for (what, typed) in Self.typos(of: real) {
            let submit = try story.tip.run(["submit", "--server", story.address, "--org", typed, "--message", "x"])
            #expect(submit.status == 2, "\(what): \(submit.stderr)")
            #expect(submit.stderr.contains("--org: " + Self.typo) && submit.stderr.contains("Compare it again"), "\(what): \(submit.stderr)")
            #expect(!submit.stderr.contains(Self.impostor), "\(what): \(submit.stderr)")
            let check = try story.tip.run(["check", "--server", story.address, "--org", typed, "--codename-stdin"],
                                          input: codename + "\n")
            #expect(check.status == 2 && check.stderr.contains(Self.typo), "\(what): \(check.stderr)")
            let inbox = try story.tipline.run(["inbox", "--key", "alice.key", "--org", typed])
            #expect(inbox.status == 2 && inbox.stderr.contains("--org: " + Self.typo), "\(what): \(inbox.stderr)")
            #expect(!inbox.stderr.contains(Self.impostor), "\(what): \(inbox.stderr)")
            let audit = try story.tipline.run(["audit", "--server", story.address, "--org", typed])
            #expect(audit.status == 2 && audit.stderr.contains(Self.typo), "\(what): \(audit.stderr)")
        }
        // The legacy form is refused where people type it, with a word on why.
        let legacy = try story.tip.run(["submit", "--server", story.address, "--org", Base32.encode(real.bytes), "--message", "x"])
        #expect(legacy.stderr.contains("old form"), "\(legacy.stderr)")
        // A typo is caught before connecting: a dead address still says typo.
        let (_, first) = Self.typos(of: real)[0]
        let offline = try story.tip.run(["submit", "--server", "127.0.0.1:1", "--org", first, "--message", "x"])
        #expect(offline.status == 2 && offline.stderr.contains(Self.typo), "\(offline.stderr)")
        // $TIPLINE_ORG is named when it holds the typo.
        let (_, swapped) = Self.typos(of: real)[1]
        let fromEnvironment = try story.tipline.run(["inbox", "--key", "alice.key"], extraEnvironment: ["TIPLINE_ORG": swapped])
        #expect(fromEnvironment.status == 2 && fromEnvironment.stderr.contains("TIPLINE_ORG: " + Self.typo),
                "\(fromEnvironment.stderr)")
        let show = try story.tipline.run(["org", "show", "--server", story.address, "--org", swapped])
        #expect(show.status == 2 && show.stderr.contains(Self.typo), "\(show.stderr)")

        // A well-formed fingerprint of another organisation: the impostor message, exit 4.
        let submit = try story.tip.run(["submit", "--server", story.address, "--org", impostor, "--message", "x"])
        #expect(submit.status == 4 && submit.stderr.contains("Do not send anything") && submit.stderr.contains(Self.impostor),
                "\(submit.stderr)")
        #expect(!submit.stderr.contains(Self.typo), "\(submit.stderr)")
        let check = try story.tip.run(["check", "--server", story.address, "--org", impostor, "--codename-stdin"], input: codename + "\n")
        #expect(check.status == 4 && check.stderr.contains(Self.impostor), "\(check.stderr)")
        let inbox = try story.tipline.run(["inbox", "--key", "alice.key", "--org", impostor])
        #expect(inbox.status == 4 && inbox.stderr.contains(Self.impostor) && !inbox.stderr.contains(Self.typo), "\(inbox.stderr)")
        let show2 = try story.tipline.run(["org", "show", "--server", story.address, "--org", impostor])
        #expect(show2.status == 4 && show2.stderr.contains(Self.impostor), "\(show2.stderr)")
        let audit = try story.tipline.run(["audit", "--server", story.address, "--org", impostor])
        #expect(audit.status == 1 && audit.stdout.contains("FAILED") && !audit.stderr.contains(Self.typo), "\(audit.stdout)")

        // The real fingerprint, typed as people do, works; tip prints it in the current form.
        let sent = try story.tip.run(["submit", "--server", story.address, "--org", story.fingerprint.lowercased().replacingOccurrences(of: "-", with: " "),
                                      "--message", "typed in lower case"])
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stdout.contains("--org \(real.description)"), "\(sent.stdout)")
    }

    /// The server's configuration: a typo stops it with the typo message; the
    /// legacy form written by earlier versions is still read; and a legacy
    /// reading that is the organisation's fingerprint with a character left
    /// out is reported as a typo when a bundle shows it, not as another
    /// organisation.
    @Test func serverConfigurationTyposAndTheLegacyForm() throws {
        let story = try StoryFixture(name: "fingerprint-server")
        defer { story.tearDown() }
        let real = try Fingerprint(parsing: story.fingerprint)
        let server = story.server
        let settingsPath = server.dataDir + "/config.json"
        func configure(_ organisation: String) throws {
            var settings = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: settingsPath))) as! [String: Any]
            settings["organisation"] = organisation
            try JSONSerialization.data(withJSONObject: settings).write(to: URL(fileURLWithPath: settingsPath))
        }
        func serve(_ dataDir: String) throws -> (status: Int32, stderr: String) {
            try ServerProcess.runFailing(["serve", "--data-dir", dataDir, "--listen", "127.0.0.1:0",
                                          "--passphrase-file", server.passphraseFile])
        }
        // init writes the current form.
        #expect(try String(contentsOfFile: settingsPath, encoding: .utf8).contains(real.description))

        // init refuses a typo, with the typo message.
        var typo = Array(real.symbols)
        typo[9] = typo[9] == "A" ? "B" : "A"
        let badInit = try ServerProcess.runFailing(["init", "--data-dir", story.path("other"), "--org-fingerprint", String(typo),
                                                    "--passphrase-file", server.passphraseFile, "--insecure-fast-keystore"])
        #expect(badInit.status != 0 && badInit.stderr.contains("--org-fingerprint: " + Self.typo), "\(badInit.stderr)")

        // A typo in config.json: the server does not start.
        server.stop()
        try configure(String(typo))
        let typoServe = try serve(server.dataDir)
        #expect(typoServe.status != 0 && typoServe.stderr.contains(Self.typo), "\(typoServe.stderr)")

        // The legacy form, as earlier versions wrote it: read, with a warning naming the current form.
        try configure(Base32.grouped(Base32.encode(real.bytes)))
        try server.start()
        let log = try String(contentsOfFile: server.logFile, encoding: .utf8)
        #expect(log.contains("legacy form") && log.contains(real.description), "\(log)")
        let sent = try story.tip.run(["submit", "--server", story.address, "--org", story.fingerprint, "--message", "x"])
        #expect(sent.status == 0, "\(sent.stderr)")
        server.stop()

        // The current form with a character left out reads as the legacy form;
        // the bundle the server holds shows it is a typo.
        var short = Array(real.symbols)
        short.remove(at: 5)
        try configure(Base32.grouped(String(short), size: 3))
        let shortServe = try serve(server.dataDir)
        #expect(shortServe.status != 0 && shortServe.stderr.contains(Self.typo) && shortServe.stderr.contains("left out"),
                "\(shortServe.stderr)")

        // A fresh server holds no bundle yet; publishing the organisation's
        // bundle shows the typo, and the operator's log says what to fix.
        try FileManager.default.createDirectory(atPath: story.path("fresh"), withIntermediateDirectories: true)
        let fresh = ServerProcess(directory: story.path("fresh"))
        _ = try fresh.initialise(organisation: real)
        let freshSettings = fresh.dataDir + "/config.json"
        var settings = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: freshSettings))) as! [String: Any]
        settings["organisation"] = String(short)
        try JSONSerialization.data(withJSONObject: settings).write(to: URL(fileURLWithPath: freshSettings))
        try fresh.start()
        defer { fresh.stop() }
        let publish = try story.tipline.run(["org", "publish", "--org-key", "org.key", "--server", "127.0.0.1:\(fresh.port)"])
        #expect(publish.status != 0 && publish.stderr.contains("typo") && publish.stderr.contains("left out")
                && !publish.stderr.contains("not signed by this server's organisation"), "\(publish.stderr)")
        let freshLog = try String(contentsOfFile: fresh.logFile, encoding: .utf8)
        #expect(freshLog.contains("has a typo") && freshLog.contains(real.description), "\(freshLog)")
        // Another organisation's bundle is still refused as another organisation's.
        try story.tipline.ok(["org", "init", "--out", "stranger.key", "--insecure-fast-keystore",
                              "--server-key", fresh.dataDir + "/server.pub"])
        try story.tipline.ok(["org", "enroll", "--org-key", "stranger.key", "--identity", "alice.pub"])
        let stranger = try story.tipline.run(["org", "publish", "--org-key", "stranger.key", "--server", "127.0.0.1:\(fresh.port)"])
        #expect(stranger.status != 0 && stranger.stderr.contains("not signed by this server's organisation") && !stranger.stderr.contains("typo"),
                "\(stranger.stderr)")
    }
}
