// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Tipline",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TiplineCrypto", targets: ["TiplineCrypto"]),
        // Exported so that Benchmarks/ can time bare libsodium beside our wrappers.
        .library(name: "CSodium", targets: ["CSodium"]),
        .executable(name: "tipline-vectors", targets: ["tipline-vectors"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        .target(name: "CTiplineSystem"),
        .target(
            name: "TiplineCrypto",
            dependencies: ["CSodium", "CTiplineSystem"]
        ),
        .target(
            name: "TiplineVectors",
            dependencies: ["TiplineCrypto", "CSodium"]
        ),
        .executableTarget(
            name: "tipline-vectors",
            dependencies: ["TiplineVectors", "TiplineCrypto"]
        ),
        .testTarget(
            name: "TiplineCryptoTests",
            dependencies: ["TiplineCrypto", "TiplineVectors", "CSodium"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
