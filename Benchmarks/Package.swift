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
        // NIO for the load generator, and SwiftProtobuf for the message both
        // RPC stacks carry.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // The baseline rpc-bench compares against: gRPC over HTTP/2.
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        // The storage baselines server-bench times beside the tip service:
        // the same SQLite library the store is built on.
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
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
        .executableTarget(
            name: "rpc-bench",
            dependencies: [
                .product(name: "TiplineRPC", package: "Tipline"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            ]
        ),
        // `tipline inbox` turning N cached sealed tips into cases, against a
        // bare libsodium open loop over the same envelopes.
        .executableTarget(
            name: "inbox-bench",
            dependencies: [
                .product(name: "TiplineClient", package: "Tipline"),
                .product(name: "TiplineCrypto", package: "Tipline"),
                .product(name: "TiplineProto", package: "Tipline"),
                .product(name: "CSodium", package: "Tipline"),
            ]
        ),
        .executableTarget(
            name: "server-bench",
            dependencies: [
                .product(name: "TiplineServer", package: "Tipline"),
                .product(name: "TiplineStore", package: "Tipline"),
                .product(name: "TiplineClient", package: "Tipline"),
                .product(name: "TiplineCrypto", package: "Tipline"),
                .product(name: "TiplineRPC", package: "Tipline"),
                // The request and method names, to send a submission whose
                // proof of work was solved before the timed window.
                .product(name: "TiplineProto", package: "Tipline"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The peak memory of the release `tip submit` and `tipline
        // attachments` for a small and a large attachment. It runs the
        // built tools as child processes, so it links nothing of theirs.
        .executableTarget(name: "client-memory-bench"),
    ],
    swiftLanguageModes: [.v6]
)
