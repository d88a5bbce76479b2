// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Tipline",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TiplineCrypto", targets: ["TiplineCrypto"]),
        // Exported so that Benchmarks/ can time bare libsodium beside our wrappers.
        .library(name: "CSodium", targets: ["CSodium"]),
        // Exported so that Benchmarks/ can measure the RPC layer against gRPC.
        .library(name: "TiplineRPC", targets: ["TiplineRPC"]),
        // Exported so that Benchmarks/ can run the real tip service in-process
        // (server-bench) and drive it with the real client.
        .library(name: "TiplineServer", targets: ["TiplineServer"]),
        .library(name: "TiplineStore", targets: ["TiplineStore"]),
        .library(name: "TiplineClient", targets: ["TiplineClient"]),
        .library(name: "TiplineProto", targets: ["TiplineProto"]),
        .executable(name: "tipline-vectors", targets: ["tipline-vectors"]),
        .executable(name: "tipline-server", targets: ["tipline-server"]),
        // The tipster's client and the responders', admins' and auditors' tool.
        .executable(name: "tip", targets: ["tip"]),
        .executable(name: "tipline", targets: ["tipline"]),
        // libFuzzer target for the frame decoder and the server's dispatch (scripts/fuzz).
        .executable(name: "tipline-fuzz", targets: ["tipline-fuzz"]),
        .executable(name: "tipline-fuzz-service", targets: ["tipline-fuzz-service"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        .target(name: "CTiplineSystem"),
        // The lock every module uses (a pthread mutex ThreadSanitizer can see).
        .target(name: "TiplineLocking"),
        .target(
            name: "TiplineCrypto",
            dependencies: ["CSodium", "CTiplineSystem", "TiplineLocking"]
        ),
        .target(
            name: "TiplineProto",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            // The descriptor set is read from the source tree by WireIntegerTests.
            exclude: ["README.md", "Generated/tipline_v1.protoset"]
        ),
        .target(
            name: "TiplineRPC",
            dependencies: [
                "TiplineLocking",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOSOCKS", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TiplineStore",
            dependencies: ["TiplineCrypto", "TiplineLocking", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "TiplineServer",
            dependencies: ["TiplineCrypto", "TiplineLocking", "TiplineProto", "TiplineRPC", "TiplineStore",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),
        .executableTarget(
            name: "tipline-server",
            dependencies: ["TiplineServer", "TiplineCrypto", "TiplineRPC", "TiplineCommandLine",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),
        .target(
            name: "TiplineClient",
            // CTiplineSystem for posix_spawn's closefrom, to start a private tor.
            dependencies: ["TiplineCrypto", "TiplineLocking", "CTiplineSystem", "TiplineProto", "TiplineRPC", "TiplineStore",
                           .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // What both command-line tools share: prompts, output, progress, exit codes.
        .target(
            name: "TiplineCommandLine",
            dependencies: ["TiplineClient", "TiplineCrypto", "TiplineLocking", "TiplineRPC", "CTiplineSystem",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            // tip's words, one catalogue per language, compiled into the
            // binary: a tipster's tip needs no file beside it (issue 14).
            resources: [
                        .embedInCode("Catalogues/en.catalogue"),
                        .embedInCode("Catalogues/zh-Hans.catalogue"),
                        .embedInCode("Catalogues/zh-Hant.catalogue"),
                        .embedInCode("Catalogues/vi.catalogue"),
                        .embedInCode("Catalogues/th.catalogue"),
                        .embedInCode("Catalogues/id.catalogue"),
                        .embedInCode("Catalogues/ms.catalogue"),
                        .embedInCode("Catalogues/tl.catalogue"),
                        .embedInCode("Catalogues/my.catalogue"),
                        .embedInCode("Catalogues/km.catalogue"),
                        .embedInCode("Catalogues/lo.catalogue")
            ]
        ),
        .executableTarget(
            name: "tip",
            dependencies: ["TiplineCommandLine", "TiplineClient", "TiplineCrypto", "TiplineProto", "TiplineRPC",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // The auditor's checks (`tipline audit`): RPC evidence, a read-only
        // look at the store, and the crypto inventory.
        .target(
            name: "TiplineAudit",
            dependencies: ["TiplineClient", "TiplineCrypto", "TiplineProto", "TiplineRPC", "TiplineStore", "CSodium",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "tipline",
            dependencies: ["TiplineCommandLine", "TiplineAudit", "TiplineClient", "TiplineCrypto", "TiplineProto", "TiplineRPC",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(
            name: "TiplineVectors",
            dependencies: ["TiplineCrypto", "TiplineClient", "TiplineStore", "CSodium"]
        ),
        .executableTarget(
            name: "tipline-vectors",
            dependencies: ["TiplineVectors", "TiplineCrypto"]
        ),
        // The fuzz harness, shared by tipline-fuzz and the regression replay tests.
        .target(
            name: "TiplineFuzzing",
            dependencies: [
                "TiplineRPC",
                "TiplineLocking",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "CTiplineFuzzDriver"),
        // The structure-aware harness over the real tip service and store
        // (tipline-fuzz-service), apart from TiplineFuzzing so that the RPC
        // tests do not depend on the server.
        .target(
            name: "TiplineServiceFuzzing",
            dependencies: [
                "TiplineRPC", "TiplineServer", "TiplineStore", "TiplineClient", "TiplineCrypto", "TiplineProto", "TiplineFuzzing",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "tipline-fuzz-service",
            dependencies: ["TiplineServiceFuzzing", "CTiplineFuzzDriver"]
        ),
        // Test doubles shared by test targets (a SOCKS5 proxy on 127.0.0.1,
        // upload pieces as an async sequence);
        // not a product, so nothing outside the tests can depend on it.
        .target(
            name: "TiplineTestSupport",
            dependencies: [
                "TiplineLocking", "TiplineRPC", "TiplineProto",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSOCKS", package: "swift-nio-extras"),
            ]
        ),
        .executableTarget(
            name: "tipline-fuzz",
            dependencies: ["TiplineFuzzing", "CTiplineFuzzDriver"]
        ),
        .testTarget(
            name: "TiplineRPCTests",
            dependencies: [
                "TiplineRPC",
                "TiplineLocking",
                "TiplineFuzzing",
                "TiplineTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
                .product(name: "NIOSOCKS", package: "swift-nio-extras"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            // Fuzz inputs, read from the source tree by FuzzRegressionTests.
            exclude: ["FuzzCorpus", "FuzzRegressions"]
        ),
        .testTarget(
            name: "TiplineServerTests",
            // TiplineVectors for format-1 envelopes, which only it can still write.
            dependencies: ["TiplineServer", "TiplineClient", "TiplineStore", "TiplineCrypto", "TiplineProto", "TiplineRPC",
                           "TiplineTestSupport", "TiplineLocking", "TiplineServiceFuzzing", "TiplineVectors",
                           .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["ServiceFuzzCorpus", "ServiceFuzzRegressions"]
        ),
        .testTarget(
            name: "TiplineEndToEndTests",
            dependencies: ["TiplineClient", "TiplineCommandLine", "TiplineStore", "TiplineCrypto", "TiplineRPC", "TiplineProto", "TiplineTestSupport", "TiplineLocking",
                           .product(name: "GRDB", package: "GRDB.swift"), "tipline-server", "tip", "tipline"],
            // The committed --help snapshots, read from the source tree.
            exclude: ["HelpSnapshots"]
        ),
        .testTarget(
            name: "TiplineClientTests",
            dependencies: ["TiplineClient", "TiplineCrypto", "TiplineProto", "TiplineCommandLine", "TiplineRPC", "TiplineTestSupport",
                           "TiplineStore", "TiplineVectors", "TiplineLocking",
                           .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .testTarget(
            name: "TiplineStoreTests",
            dependencies: ["TiplineStore", "TiplineCrypto", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "TiplineAuditTests",
            // `tipline` too: the tests also drive the built executable for its exit codes.
            // TiplineVectors for format-1 envelopes, stored as an older server would have.
            dependencies: ["TiplineAudit", "TiplineServer", "TiplineClient", "TiplineStore", "TiplineCrypto", "TiplineProto",
                           "TiplineRPC", "TiplineTestSupport", "TiplineLocking", "TiplineVectors", "tipline",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "TiplineCryptoTests",
            dependencies: ["TiplineCrypto", "TiplineVectors", "CSodium", "TiplineLocking"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
