import CTiplineFuzzDriver
import Foundation
import TiplineFuzzing

/// libFuzzer's per-input entry point. Inputs are laid out as ``FuzzInput``
/// describes; every error is fine, only crashes and sanitizer reports count.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FuzzHarness.runBlocking(Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}

/// `tipline-fuzz`. Built with `-sanitize=fuzzer` (see scripts/fuzz) it hands
/// its arguments to libFuzzer; built normally it replays the files it is
/// given, one after another, through the same harness.
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
            FuzzHarness.runBlocking(Array(data))
            print("ok \(path)")
        }
    }
}
