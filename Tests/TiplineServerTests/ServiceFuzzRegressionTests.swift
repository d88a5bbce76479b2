import Foundation
import Testing
import TiplineProto
import TiplineServiceFuzzing

/// Replays the service fuzz target's committed inputs through the harness
/// `tipline-fuzz-service` runs (the real TipService and TipStore behind the
/// real connection handler): the seeds, one per method, and every crash
/// `scripts/fuzz` has kept. A regression that crashes takes the test process
/// down with it; every seed must also be answered.
@Suite(.serialized) struct ServiceFuzzRegressionTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    static func inputs(_ folder: String) throws -> [URL] {
        let url = directory.appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(atPath: url.path)
            .filter { !$0.hasPrefix(".") && $0 != "README.md" }
            .sorted()
            .map { url.appendingPathComponent($0) }
    }

    @Test func everyMethodHasASeedAndEverySeedIsAnswered() async throws {
        let seeds = try Self.inputs("ServiceFuzzCorpus")
        var methods = Set<String>()
        for seed in seeds {
            let bytes = Array(try Data(contentsOf: seed))
            let input = ServiceFuzzInput(bytes)
            for call in input.calls { methods.insert(ServiceFuzzInput.methods[call.method]) }
            let answered = await ServiceFuzzHarness.run(bytes)
            #expect(answered == input.calls.count, "\(seed.lastPathComponent): \(answered) of \(input.calls.count) calls answered")
        }
        #expect(methods == Set(TiplineMethod.all), "methods without a seed: \(Set(TiplineMethod.all).subtracting(methods))")
    }

    /// The seeds as the generator writes them now still parse the same way
    /// (a change to the input layout must regenerate the corpus).
    @Test func theCommittedSeedsMatchTheGenerator() throws {
        let written = try ServiceFuzzSeeds.calls(ServiceFuzzHarness.world)
        let committed = try Self.inputs("ServiceFuzzCorpus").map(\.lastPathComponent)
        for (name, _) in written { #expect(committed.contains("seed-\(name)"), "seed-\(name) is not committed") }
    }

    @Test func keptCrashesNoLongerCrash() async throws {
        for input in try Self.inputs("ServiceFuzzRegressions") {
            await ServiceFuzzHarness.run(Array(try Data(contentsOf: input)))
        }
    }
}
