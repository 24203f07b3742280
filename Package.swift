// swift-tools-version:6.0
import PackageDescription

// Release builds use SwiftPM's defaults (-O, whole-module optimisation). Bounds and overflow checks
// stay on: the hot loops are C kernels and oneDNN/OpenBLAS, and -Ounchecked measured no faster on
// the training step (`bench`, MLP Adam 1.216 vs 1.214 ms/step), while it would turn a missed check
// into silent memory corruption instead of a stop.
let package = Package(
    name: "bpgrad-tui",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bpgrad-tui", targets: ["bpgrad-tui"]),
        .library(name: "BPGradEngine", targets: ["BPGradEngine"]),
        .library(name: "BPGradDashboard", targets: ["BPGradDashboard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo"),
        // Elementwise kernels compiled per instruction set (target_clones); no fused multiply-adds
        // the formulas don't have, so every clone gives PyTorch's bits. Also the glue to oneDNN's
        // convolution primitives, whose C API is far simpler to drive from C than from Swift.
        .target(
            name: "CKernels",
            dependencies: ["CDNNL"],
            path: "Sources/CKernels",
            cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off"])]
        ),
        .target(
            name: "BPGradEngine",
            dependencies: [
                "CDNNL", "CZlib", "CKernels",
                .product(name: "Yams", package: "Yams"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "BPGradDashboard",
            dependencies: ["BPGradEngine"]
        ),
        .target(
            name: "BPGradFigures",
            dependencies: ["BPGradEngine", "BPGradDashboard", "CCairo"]
        ),
        .executableTarget(
            name: "bpgrad-tui",
            dependencies: [
                "BPGradEngine", "BPGradDashboard", "BPGradFigures", "CNcurses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "BPGradEngineTests", dependencies: ["BPGradEngine"], exclude: ["Fixtures"]),
        .testTarget(name: "BPGradDashboardTests", dependencies: ["BPGradDashboard", "BPGradEngine"], exclude: ["Snapshots"]),
        .testTarget(name: "BPGradFiguresTests", dependencies: ["BPGradFigures", "BPGradEngine"]),
        .testTarget(name: "BPGradTUITests", dependencies: ["bpgrad-tui", "BPGradDashboard", "BPGradEngine", "CNcurses"], exclude: ["Help"]),
    ],
    swiftLanguageModes: [.v6]
)
