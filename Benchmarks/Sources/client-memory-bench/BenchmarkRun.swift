import Foundation

/// One run: a tip line set up in a scratch directory, then for each size a
/// sparse file sent with `tip submit --attach` and saved back with
/// `tipline attachments`, each tool's peak memory taken from `wait4`.
/// Everything it made is deleted at the end, whatever happened.
struct BenchmarkRun {
    let options: Options

    func run() throws -> RunReport {
        let bin = URL(fileURLWithPath: options.binDirectory).standardizedFileURL.path
        for tool in ["tip", "tipline", "tipline-server"] where !FileManager.default.isExecutableFile(atPath: bin + "/" + tool) {
            throw BenchFailure("\(bin)/\(tool) is missing: run `swift build -c release` at the repository root, or pass --bin DIR")
        }
        #if DEBUG
        Progress.note("warning: this benchmark is a debug build; the tools it measures are whatever --bin holds.")
        #endif
        let base = options.directory ?? FileManager.default.temporaryDirectory.path
        let scratch = (base as NSString).appendingPathComponent("client-memory-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        let loadBefore = Format.loadAverage()
        Progress.note("client-memory-bench: setting up an organisation, a server and a responder in \(scratch)")
        let largest = UInt64(options.sizesMiB.max() ?? 1) << 20
        let tipline = try BenchTipline(binDirectory: bin, directory: scratch, largestAttachment: largest,
                                       moderateKeystore: options.moderateKeystore)
        defer { tipline.stop() }

        var results: [SizeResult] = []
        for mebibytes in options.sizesMiB {
            results.append(try measure(mebibytes: mebibytes, tipline: tipline))
        }
        return RunReport(binDirectory: bin,
                         keystore: options.moderateKeystore
                            ? "Argon2id MODERATE (256 MiB at unlock, for every size)"
                            : "Argon2id at the minimum (--insecure-fast-keystore), so the download's own memory shows",
                         sizes: results, serverPeakKiB: tipline.serverPeakResidentKiB, loadBefore: loadBefore,
                         loadAfter: Format.loadAverage())
    }

    private func measure(mebibytes: Int, tipline: BenchTipline) throws -> SizeResult {
        // Sparse: made at once, and its pages cost neither tool any memory;
        // every byte is still read, hashed, encrypted and sent.
        let name = "attachment-\(mebibytes)MiB.bin"
        let path = tipline.path(name)
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw BenchFailure("cannot create \(path)")
        }
        try file.truncate(atOffset: UInt64(mebibytes) << 20)
        try file.close()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Generous: over a slow disk the server stores a GiB at about 15 MB/s.
        let timeout = Duration.seconds(120 + mebibytes)

        let known = try tipline.tipIds()
        Progress.note("  \(Format.size(mebibytes: mebibytes)): tip submit --attach \(name)")
        let submit = try tipline.run("tip", ["submit", "--server", tipline.address, "--org", tipline.fingerprint,
                                             "--message", "client-memory-bench, \(mebibytes) MiB", "--attach", path, "--json"],
                                     timeout: timeout)
        guard let id = try tipline.tipIds().subtracting(known).first else { throw BenchFailure("the tip sent is not in the inbox") }

        Progress.note("  \(Format.size(mebibytes: mebibytes)): tipline attachments \(id.prefix(8))")
        let folder = tipline.path("saved-\(mebibytes)MiB")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let download = try tipline.run("tipline", ["attachments", id, "--key", tipline.path("alice.key"), "--server", tipline.address,
                                                   "--org", tipline.fingerprint, "--out", folder, "--json"],
                                       timeout: timeout)
        guard let written = (try? JSONSerialization.jsonObject(with: Data(download.stdout.utf8))) as? [String], written.count == 1
        else { throw BenchFailure("tipline attachments wrote no one file: \(download.stdout)") }
        let size = (try FileManager.default.attributesOfItem(atPath: written[0])[.size] as? NSNumber)?.intValue
        guard size == mebibytes << 20 else { throw BenchFailure("the saved file has \(size ?? -1) bytes, not \(mebibytes << 20)") }

        Progress.note("    tip submit \(Format.mebibytes(submit.peakResidentKiB)) in \(Format.seconds(submit.seconds)), "
            + "tipline attachments \(Format.mebibytes(download.peakResidentKiB)) in \(Format.seconds(download.seconds))")
        return SizeResult(mebibytes: mebibytes, submitPeakKiB: submit.peakResidentKiB, submitSeconds: submit.seconds,
                          downloadPeakKiB: download.peakResidentKiB, downloadSeconds: download.seconds)
    }
}
