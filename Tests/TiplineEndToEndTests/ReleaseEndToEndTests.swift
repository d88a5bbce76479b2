import Foundation
import Testing
import TiplineCrypto

/// An organisation signs a program with `tipline org sign-release`; a
/// tipster checks it with `tip verify-release` and nothing but the
/// fingerprint; both through the built executables (PROTOCOL.md §9.1).
// Serialized: its cases launch processes, and concurrent launches leak
// descriptors between children (see the Makefile).
@Suite(.serialized) struct ReleaseEndToEndTests {
    /// A folder with an organisation (`org.key`) and another one (`other.key`).
    struct Release {
        let directory: String
        let tipline: Tool
        let tip: Tool
        let fingerprint: String
        let otherFingerprint: String

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-release-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            tipline = Tool(name: "tipline", environment: ["TIPLINE_PASSPHRASE": "a release passphrase", "HOME": directory],
                           directory: directory)
            tip = Tool(name: "tip", environment: ["HOME": directory], directory: directory)
            func organisation(_ tipline: Tool, _ file: String) throws -> String {
                let json = try tipline.json(["org", "init", "--out", file, "--insecure-fast-keystore", "--json"]) as! [String: String]
                return json["fingerprint"]!
            }
            fingerprint = try organisation(tipline, "org.key")
            otherFingerprint = try organisation(tipline, "other.key")
        }

        /// A copy of the built `tip` (tens of MB, so only where the real program matters).
        func copyTip() throws { try FileManager.default.copyItem(atPath: tip.path, toPath: path("tip")) }

        /// A stand-in program of `count` bytes, named `name`.
        func program(_ name: String, count: Int = 300_000) -> [UInt8] {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
            write(name, bytes)
            return bytes
        }

        func path(_ name: String) -> String { directory + "/" + name }

        func write(_ name: String, _ bytes: [UInt8]) {
            _ = FileManager.default.createFile(atPath: path(name), contents: Data(bytes))
        }

        func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path(name)))) }

        func tearDown() { try? FileManager.default.removeItem(atPath: directory) }
    }

    static var repository: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    @Test func theCheckCommandSignReleasePrintsSaysGenuine() throws {
        let release = try Release()
        defer { release.tearDown() }
        try release.copyTip()
        let signed = try release.tipline.ok(["org", "sign-release", "--org-key", "org.key", "tip"])
        #expect(signed.contains("signed tip ("), "\(signed)")
        let hint = try #require(signed.split(separator: "\n").first { $0.hasPrefix("  tip verify-release ") })
        let words = hint.split(separator: " ").map(String.init)
        #expect(words == ["tip", "verify-release", "tip", "tip.sig", "--org", release.fingerprint])
        // Run as printed, from the folder where the program and its .sig sit side by side.
        let result = try release.tip.run(Array(words.dropFirst()))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("This file is genuine: it is signed by the organisation with the fingerprint you gave.\n"
                                        + "tip is the program “tip”, signed on "), "\(result.stdout)")
        // Public, not a key: readable by all; and small.
        let attributes = try FileManager.default.attributesOfItem(atPath: release.path("tip.sig"))
        #expect((attributes[.posixPermissions] as? Int) == 0o644)
        #expect((attributes[.size] as? Int).map { $0 <= ReleaseSignature.maximumByteCount } == true)
    }

    @Test func jsonOutputsCarryWhatWasSigned() throws {
        let release = try Release()
        defer { release.tearDown() }
        release.write("notes.txt", Array("read me first".utf8))
        let signed = try release.tipline.json(["org", "sign-release", "--org-key", "org.key", "notes.txt", "--out", "n.sig",
                                               "--name", "ບັນທຶກ", "--json"]) as! [String: Any]
        #expect(signed["organisation"] as? String == release.fingerprint)
        #expect(signed["name"] as? String == "ບັນທຶກ")
        #expect(signed["size"] as? Int == 13)
        #expect(signed["signature"] as? String == "n.sig")
        #expect(signed["releaseHash"] as? String == Hex.encode(DomainHash.hash(DomainHash.Label.releaseFile, Array("read me first".utf8))))
        #expect(signed["check"] as? String == "tip verify-release notes.txt n.sig --org \(release.fingerprint)")
        let checked = try release.tip.json(["verify-release", "notes.txt", "n.sig", "--org", release.fingerprint, "--json"])
            as! [String: Any]
        #expect(checked["genuine"] as? Bool == true)
        #expect(checked["name"] as? String == "ບັນທຶກ")
        #expect(checked["signedAt"] as? Int == signed["signedAt"] as? Int)
    }

    /// Every way a copy can fail to be genuine exits 4 with its own words;
    /// a fingerprint typo exits 2, an unreadable file 1.
    @Test func whatIsNotGenuineIsRefusedInPlainWords() throws {
        let release = try Release()
        defer { release.tearDown() }
        let program = release.program("prog")
        try release.tipline.ok(["org", "sign-release", "--org-key", "org.key", "prog"])
        try release.tipline.ok(["org", "sign-release", "--org-key", "other.key", "prog", "--out", "other.sig"])
        var changed = program
        changed[150_000] ^= 0x01
        release.write("changed", changed)
        release.write("short", Array(program.prefix(200_000)))
        let signature = try release.bytes("prog.sig")
        release.write("cut.sig", Array(signature.dropLast()))
        release.write("extra.sig", signature + [0])
        var flipped = signature
        flipped[flipped.count - 10] ^= 0x01
        release.write("flipped.sig", flipped)

        func check(_ file: String, _ sig: String, org: String? = nil) throws -> Tool.Result {
            try release.tip.run(["verify-release", file, sig, "--org", org ?? release.fingerprint])
        }
        let cases: [(Tool.Result, Int32, String)] = [
            (try check("prog", "prog.sig"), 0, "This file is genuine"),
            (try check("changed", "prog.sig"), 4, "NOT signed by your organisation. Do not run it, and delete it. It was changed after it was signed."),
            (try check("short", "prog.sig"), 4, "It has 200000 bytes, but the signed program has 300000: the download is incomplete"),
            (try check("prog", "prog.sig", org: release.otherFingerprint), 4, "Someone else signed it"),
            (try check("prog", "other.sig"), 4, "Someone else signed it"),
            (try check("prog", "flipped.sig"), 4, "Its signature does not match"),
            (try check("prog", "cut.sig"), 4, "The signature file is damaged or incomplete"),
            (try check("prog", "extra.sig"), 4, "The signature file is damaged or incomplete"),
            (try check("prog.sig", "prog"), 4, "prog is not a signature file. Give the program first, then its .sig file."),
            (try check("prog", "org.key"), 4, "org.key is not a signature file."),
            (try check("missing", "prog.sig"), 1, "Cannot open this file: missing."),
            (try check("prog", "prog.sig", org: String(release.fingerprint.dropLast()) + (release.fingerprint.hasSuffix("0") ? "1" : "0")),
             2, "typo"),
            (try check("prog", "prog.sig", org: String(release.fingerprint.dropFirst(4))), 2, "typo"),
        ]
        for (result, status, words) in cases {
            #expect(result.status == status, "\(words): exit \(result.status), \(result.stderr)")
            #expect((result.stdout + result.stderr).contains(words), "expected \"\(words)\" in: \(result.stdout)\(result.stderr)")
            if status != 0 { #expect(result.stdout.isEmpty, "\(result.stdout)") }
        }
    }

    @Test func signingNeedsTheOrganisationsKeyAndPassphrase() throws {
        let release = try Release()
        defer { release.tearDown() }
        _ = release.program("tip")
        try release.tipline.ok(["responder", "init", "--out", "alice.key", "--name", "alice", "--insecure-fast-keystore"])
        let responder = try release.tipline.run(["org", "sign-release", "--org-key", "alice.key", "tip"])
        #expect(responder.status == 2, "\(responder.stderr)")
        #expect(responder.stderr.contains("not organisation keys"), "\(responder.stderr)")
        let wrong = try release.tipline.run(["org", "sign-release", "--org-key", "org.key", "tip"],
                                            extraEnvironment: ["TIPLINE_PASSPHRASE": "not the passphrase"])
        #expect(wrong.status == 6, "\(wrong.stderr)")
        #expect(!FileManager.default.fileExists(atPath: release.path("tip.sig")))
        let badName = try release.tipline.run(["org", "sign-release", "--org-key", "org.key", "tip", "--name", "bin/tip"])
        #expect(badName.status == 2, "\(badName.stderr)")
    }

    /// A tipster reads the verdict in their language (here Thai), with the
    /// same exit codes; in the pseudo-language every line is marked, so no
    /// word of `verify-release` bypasses the catalogues.
    @Test func theVerdictIsInTheTipstersLanguage() throws {
        let release = try Release()
        defer { release.tearDown() }
        var program = release.program("prog")
        try release.tipline.ok(["org", "sign-release", "--org-key", "org.key", "prog"])
        program[10] ^= 0x01
        release.write("changed", program)
        let thai = try release.tip.run(["verify-release", "changed", "prog.sig", "--org", release.fingerprint, "--lang", "th"])
        #expect(thai.status == 4)
        #expect(thai.stderr.contains("คำเตือน: ไฟล์นี้ \"ไม่ได้\" ถูกเซ็นรับรองโดยองค์กรของคุณ"), "\(thai.stderr)")
        #expect(thai.stderr.contains("ไฟล์นี้ถูกแก้ไขหลังจากที่เซ็นรับรองแล้ว"), "\(thai.stderr)")
        let genuine = try release.tip.run(["verify-release", "prog", "prog.sig", "--org", release.fingerprint],
                                          extraEnvironment: ["LANG": "th_TH.UTF-8"])
        #expect(genuine.status == 0)
        #expect(genuine.stdout.hasPrefix("ไฟล์นี้เป็นของจริง"), "\(genuine.stdout)")

        let typo = String(release.fingerprint.dropLast()) + (release.fingerprint.hasSuffix("0") ? "1" : "0")
        let runs: [([String], Int32)] = [
            (["prog", "prog.sig", "--org", release.fingerprint], 0),
            (["changed", "prog.sig", "--org", release.fingerprint], 4),
            (["prog", "prog.sig", "--org", release.otherFingerprint], 4),
            (["prog", "org.key", "--org", release.fingerprint], 4),
            (["prog.sig", "prog", "--org", release.fingerprint], 4),
            (["missing", "prog.sig", "--org", release.fingerprint], 1),
            (["prog", "prog.sig", "--org", typo], 2),
        ]
        for (arguments, status) in runs {
            let result = try release.tip.run(["verify-release", "--lang", "qps"] + arguments,
                                             extraEnvironment: ["TIPLINE_PSEUDO_LANGUAGE": "1"])
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            let lines = (result.stdout + result.stderr).split(whereSeparator: \.isNewline)
            #expect(!lines.isEmpty)
            for line in lines {
                let text = line.hasPrefix("tip: ") ? line.dropFirst(5) : line[...]
                #expect(text.hasPrefix("⟦") && text.hasSuffix("⟧"), "\(arguments): outside the catalogue: \(line)")
            }
        }
    }

    /// The README's by-hand steps (coreutils and OpenSSL, no Tipline) agree
    /// with `tip verify-release` on a genuine and a changed copy.
    @Test func theByHandStepsAgree() throws {
        let release = try Release()
        defer { release.tearDown() }
        var changed = release.program("tip", count: 1_000_000)
        try release.tipline.ok(["org", "sign-release", "--org-key", "org.key", "tip"])
        changed[changed.count / 2] ^= 0x01
        release.write("changed", changed)
        func byHand(_ file: String, _ org: String) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = [Self.repository + "/scripts/verify-release-by-hand", release.path(file), release.path("tip.sig"), org]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        #expect(try byHand("tip", release.fingerprint) == 0)
        #expect(try byHand("tip", release.fingerprint.lowercased()) == 0)
        #expect(try byHand("changed", release.fingerprint) == 4)
        #expect(try byHand("tip", release.otherFingerprint) == 4)
    }
}
