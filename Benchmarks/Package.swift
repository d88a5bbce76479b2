// swift-tools-version: 6.0
import PackageDescription

// A package of its own, not a target of the root package, so that the
// benchmark never runs as part of `swift test`, never slows the root build,
// and is always built in release mode by whoever runs it (see README.md).
let package = Package(
    name: "TiplineBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The name pins the identity that the products below refer to, so the
        // manifest does not depend on what the checkout's folder is called.
        .package(name: "Tipline", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "crypto-bench",
            dependencies: [
                .product(name: "TiplineCrypto", package: "Tipline"),
                // Bare libsodium, for the baselines timed beside our wrappers.
                .product(name: "CSodium", package: "Tipline"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
