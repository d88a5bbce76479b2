import Foundation
import TiplineCrypto
import TiplineVectors

// Writes every test vector to the directory given (default proto/vectors),
// removing stale vector files first so that a renamed case leaves nothing behind.
let arguments = CommandLine.arguments.dropFirst()
if arguments.contains("--help") || arguments.contains("-h") {
    print("""
    USAGE: tipline-vectors [DIRECTORY]

    Regenerates proto/PROTOCOL.md's test vectors deterministically from fixed seeds
    and writes one file per case into DIRECTORY (default: proto/vectors).
    """)
    exit(0)
}
let directory = arguments.first ?? "proto/vectors"
do {
    let files = try VectorSet.generate()
    let manager = FileManager.default
    try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for existing in try manager.contentsOfDirectory(atPath: directory) where !existing.hasPrefix(".") {
        try manager.removeItem(atPath: "\(directory)/\(existing)")
    }
    for file in files {
        try Data(file.rendered().utf8).write(to: URL(fileURLWithPath: "\(directory)/\(file.name)"))
    }
    print("wrote \(files.count) vectors to \(directory)")
} catch {
    FileHandle.standardError.write(Data("tipline-vectors: \(error)\n".utf8))
    exit(1)
}
