import Foundation
import Testing
import TiplineFuzzing

/// Replays the fuzz targets' committed inputs through both harnesses
/// `tipline-fuzz` runs (`frames`: decoders and a synchronous server
/// connection; `calls`: decoders and a connection with methods): the seed
/// corpus, and every crash `scripts/fuzz` has kept. An input passes by
/// returning; a regression that crashes takes the test process down with it.
@Suite struct FuzzRegressionTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let corpus = directory.appendingPathComponent("FuzzCorpus")
    static let regressions = directory.appendingPathComponent("FuzzRegressions")

    struct MissingDirectory: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path) is missing" }
    }

    /// The inputs in a directory: every file but dotfiles and the README.
    static func inputs(in directory: URL) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MissingDirectory(path: directory.path)
        }
        return try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { !$0.hasPrefix(".") && $0 != "README.md" }
            .sorted()
            .map { directory.appendingPathComponent($0) }
    }

    static func allInputs() throws -> [URL] {
        try inputs(in: corpus) + inputs(in: regressions)
    }

    @Test func seedCorpusIsPresent() throws {
        let seeds = try Self.inputs(in: Self.corpus)
        #expect(seeds.count >= 10, "the seed corpus \(Self.corpus.path) is empty or nearly: run scripts/make-fuzz-corpus")
    }

    @Test func regressionDirectoryIsPresent() throws {
        _ = try Self.inputs(in: Self.regressions)
    }

    @Test(arguments: try allInputs())
    func replay(_ input: URL) async throws {
        let bytes = try [UInt8](Data(contentsOf: input))
        FuzzHarness.runFrames(bytes)
        await FuzzHarness.run(bytes)
    }

    /// The seeds that carry whole frames must get past the decoder; if the
    /// frame layout changes, the corpus has to be regenerated.
    @Test func validSeedsDecodeToFrames() async throws {
        for name in ["unary-with-metadata", "client-streaming", "ping-and-ack", "too-many-calls"] {
            let bytes = try [UInt8](Data(contentsOf: Self.corpus.appendingPathComponent(name)))
            #expect(FuzzHarness.runFrames(bytes) >= 2, "seed \(name)")
            #expect(await FuzzHarness.run(bytes) >= 2, "seed \(name)")
        }
    }
}
