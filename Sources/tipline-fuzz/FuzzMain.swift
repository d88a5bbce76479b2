import CTiplineFuzzDriver
import Foundation
import TiplineFuzzing

/// Which harness libFuzzer drives: `frames` (the default: synchronous, fast)
/// or `calls` (a method table whose handlers run as tasks), chosen by
/// `TIPLINE_FUZZ_HARNESS`; see ``FuzzHarness``.
let fuzzCalls = ProcessInfo.processInfo.environment["TIPLINE_FUZZ_HARNESS"] == "calls"

/// libFuzzer's per-input entry point. Inputs are laid out as ``FuzzInput``
/// describes; every error is fine, only crashes and sanitizer reports count.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let input = Array(UnsafeRawBufferPointer(start: start, count: count))
    if fuzzCalls {
        FuzzHarness.runBlocking(input)
    } else {
        FuzzHarness.runFrames(input)
    }
    return 0
}

/// `tipline-fuzz`. Built with `-sanitize=fuzzer` (see scripts/fuzz) it hands
/// its arguments to libFuzzer; built normally it replays the files it is
/// given, one after another, through both harnesses.
@main
enum FuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = tipline_fuzz_run_driver(&argc, &argv) { data, size in
            guard let data else { return 0 }
            return fuzz(UnsafeRawPointer(data), size)
        }
        if status >= 0 { exit(status) }

        // No libFuzzer in this build: replay files.
        let paths = CommandLine.arguments.dropFirst()
        guard !paths.isEmpty else {
            FileHandle.standardError.write(Data("usage: tipline-fuzz FILE...  (replays inputs; build with scripts/fuzz to fuzz)\n".utf8))
            exit(64)
        }
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("tipline-fuzz: cannot read \(path)\n".utf8))
                exit(66)
            }
            FuzzHarness.runFrames(Array(data))
            FuzzHarness.runBlocking(Array(data))
            print("ok \(path)")
        }
    }
}
