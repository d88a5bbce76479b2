import CTiplineFuzzDriver
import Foundation
import TiplineServiceFuzzing

/// libFuzzer's per-input entry point (see ``ServiceFuzzInput`` for the layout).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzService(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    ServiceFuzzHarness.runBlocking(Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}

/// `tipline-fuzz-service`: the structure-aware target over the real tip
/// service. Built with `-sanitize=fuzzer` (scripts/fuzz) it hands its
/// arguments to libFuzzer; built normally it replays the files it is given,
/// or writes the seed corpus with `--write-seeds DIR`.
@main
enum FuzzServiceMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = tipline_fuzz_run_driver(&argc, &argv) { data, size in
            guard let data else { return 0 }
            return fuzzService(UnsafeRawPointer(data), size)
        }
        if status >= 0 {
            ServiceFuzzHarness.world.remove()
            exit(status)
        }
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--write-seeds", arguments.count == 2 {
            do {
                let count = try ServiceFuzzSeeds.write(to: arguments[1])
                print("wrote \(count) seeds to \(arguments[1])")
            } catch {
                FileHandle.standardError.write(Data("tipline-fuzz-service: \(error)\n".utf8))
                exit(1)
            }
            ServiceFuzzHarness.world.remove()
            exit(0)
        }
        guard !arguments.isEmpty else {
            FileHandle.standardError.write(Data("usage: tipline-fuzz-service FILE...  |  --write-seeds DIR\n".utf8))
            exit(64)
        }
        for path in arguments {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("tipline-fuzz-service: cannot read \(path)\n".utf8))
                exit(66)
            }
            ServiceFuzzHarness.runBlocking(Array(data))
            print("ok \(path)")
        }
        ServiceFuzzHarness.world.remove()
    }
}
