import Foundation
import Testing
import TiplineCrypto
import TiplineVectors

/// Replays every file in proto/vectors/ and checks the committed files are
/// exactly what the generator makes today.
@Suite struct VectorReplayTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("proto/vectors")

    static func committed() throws -> [VectorFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        return try names.map { name in
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            guard let file = VectorFile(name: name, text: text) else { throw VectorFormatError(name: name) }
            return file
        }
    }

    struct VectorFormatError: Error { let name: String }

    @Test func committedVectorsMatchTheGenerator() throws {
        let committed = try Self.committed()
        let generated = try VectorSet.generate().sorted { $0.name < $1.name }
        #expect(committed.map(\.name) == generated.map(\.name))
        for (c, g) in zip(committed, generated) {
            #expect(c == g, "vector \(c.name) differs from the generator's output: run scripts/generate-vectors")
        }
        #expect(committed.count >= 100)
    }

    /// Formats built on the client and store libraries, replayed by
    /// TiplineClientTests.SignedContentVectorTests.
    static let replayedElsewhere: Set<String> = ["signed", "hash"]

    @Test(arguments: try committed().filter { !replayedElsewhere.contains($0["format"] ?? "") })
    func replay(_ vector: VectorFile) throws {
        let expect = try #require(vector["expect"])
        let outcome: String
        do {
            try VectorReplay.run(vector)
            outcome = "success"
        } catch let failure as VectorReplay.Mismatch {
            Issue.record("\(vector.name): \(failure.reason)")
            return
        } catch {
            outcome = SpecErrorName.of(error)
        }
        #expect(outcome == expect, "\(vector.name): expected \(expect), got \(outcome)")
    }
}

extension VectorFile: CustomTestStringConvertible {
    public var testDescription: String { name }
}
