// swift-tools-version:6.1
import PackageDescription

/// Kith: an offline-first terminal application for early-help work with children and families.
///
/// Dependency direction: CNcursesw ← KithTerminal; KithCore ← KithStore ← KithApp;
/// KithCore ← KithUI ← KithTerminal; KithStore ← KithHub (the only module that talks to the
/// network, through postgres-nio); everything ← kith. KithUI never imports ncurses.
let package = Package(
    name: "Kith",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kith", targets: ["kith"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(
            name: "KithCore",
            resources: [
                .embedInCode("Resources/instruments"),
                .embedInCode("Resources/strings"),
            ]
        ),
        .target(
            name: "KithStore",
            dependencies: [
                "KithCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "KithUI",
            dependencies: ["KithCore"],
            // The shipped themes, compiled in (links to the files in themes/).
            resources: [
                .embedInCode("Resources/default.toml"),
                .embedInCode("Resources/high-contrast.toml"),
                .embedInCode("Resources/monochrome.toml"),
            ]
        ),
        .target(name: "KithTerminal", dependencies: ["KithUI", "CNcursesw"]),
        .target(name: "KithDemo", dependencies: ["KithCore", "KithStore"]),
        .target(
            name: "KithHub",
            dependencies: [
                "KithCore", "KithStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "KithApp", dependencies: ["KithCore", "KithStore", "KithUI", "KithDemo", "KithHub"]),
        .executableTarget(
            name: "kith",
            dependencies: [
                "KithApp", "KithTerminal", "KithDemo", "KithStore", "KithUI", "KithCore", "KithHub",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "KithTestSupport",
            dependencies: ["KithCore", "KithStore", "KithUI", "KithDemo", "KithApp"],
            path: "Tests/KithTestSupport"
        ),
        .testTarget(name: "KithCoreTests", dependencies: ["KithCore", "KithTestSupport"]),
        .executableTarget(
            name: "kith-crash-writer",
            dependencies: ["KithStore", "KithCore"],
            path: "Tests/KithCrashWriter"
        ),
        .testTarget(name: "KithStoreTests", dependencies: ["KithStore", "KithTestSupport", "KithFuzzTargets"]),
        // Fuzzing: the parsers' entry points, and the libFuzzer binary (.ci/fuzz builds it
        // with -sanitize=fuzzer; built plainly it does nothing).
        .target(name: "KithFuzzTargets", dependencies: ["KithCore", "KithStore", "KithUI"], path: "Tests/KithFuzzTargets"),
        .executableTarget(name: "kith-fuzz", dependencies: ["KithFuzzTargets"], path: "Tests/KithFuzz"),
        .testTarget(
            name: "KithUITests",
            dependencies: ["KithUI", "KithTestSupport"],
            exclude: ["Snapshots"]
        ),
        .testTarget(name: "KithAppTests", dependencies: ["KithApp", "KithTestSupport"]),
        // Against a real PostgreSQL (.ci/postgres starts one; KITH_TEST_POSTGRES names it).
        .testTarget(name: "KithHubTests", dependencies: ["KithHub", "KithTestSupport", "KithDemo"]),
    ],
    swiftLanguageModes: [.v6]
)
