import BPGradEngine
import Foundation
import XCTest

final class PresetTests: XCTestCase {
    let dir = makeTemporaryFolder()

    static let minimal = """
    name: tiny
    description: a test preset
    dataset:
      kind: moons
      n: 200
    network:
      - dense: 8
      - tanh
      - dense: 2
    training:
      batch_size: 16
      steps: 50
      seed: 3
    solvers:
      bpgrad:
        lipschitz: 20
      adam: {lr: 0.01}
    """

    private func parse(_ yaml: String, overrides: [String] = []) throws -> Preset {
        try PresetLibrary.parse(yaml: yaml, file: "test.yaml", overrides: overrides)
    }

    private func assertError(_ yaml: String, overrides: [String] = [], contains parts: [String],
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parse(yaml, overrides: overrides), file: file, line: line) { error in
            let text = "\(error)"
            for p in parts { XCTAssertTrue(text.contains(p), "'\(text)' lacks '\(p)'", file: file, line: line) }
        }
    }

    func testParsesEverySection() throws {
        let p = try parse(Self.minimal)
        XCTAssertEqual(p.name, "tiny")
        XCTAssertEqual(p.network, [.dense(units: 8), .tanh, .dense(units: 2)])
        XCTAssertEqual(p.training, TrainingSpec(batchSize: 16, steps: 50, epochs: nil, seed: 3, evalEvery: 100))
        XCTAssertEqual(p.solvers.map(\.kind), ["bpgrad", "adam"])
        XCTAssertEqual(p.settings(for: "bpgrad")["lipschitz"], .number(20))
        XCTAssertEqual(p.settings(for: "sgd"), SGD.descriptor.defaults)
    }

    func testLayerForms() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "  - dense: 8\n  - tanh\n", with: """
          - {type: dense, units: 8}
          - leaky_relu: 0.2
          - dropout: {rate: 0.1}

        """)
        XCTAssertEqual(try parse(yaml).network, [.dense(units: 8), .leakyReLU(slope: 0.2), .dropout(rate: 0.1), .dense(units: 2)])
    }

    func testOverridesReachAnyField() throws {
        let p = try parse(Self.minimal, overrides: ["training.batch_size=64", "bpgrad.lipschitz=30", "network.0.dense=16", "sgd.lr=0.5"])
        XCTAssertEqual(p.training.batchSize, 64)
        XCTAssertEqual(p.settings(for: "bpgrad")["lipschitz"], .number(30))
        XCTAssertEqual(p.network.first, .dense(units: 16))
        XCTAssertEqual(p.settings(for: "sgd")["lr"], .number(0.5))
        XCTAssertTrue(p.resolvedYAML.contains("batch_size: 64"), p.resolvedYAML)
    }

    func testMisspeltLayerNamesFileLineAndLayer() {
        let yaml = Self.minimal.replacingOccurrences(of: "  - tanh", with: "  - tahn")
        assertError(yaml, contains: ["test.yaml:8", "network[1]", "unknown layer type 'tahn'", "did you mean 'tanh'"])
    }

    func testUnknownLayerOption() {
        let yaml = Self.minimal.replacingOccurrences(of: "  - dense: 8", with: "  - dense: {units: 8, unit: 3}")
        assertError(yaml, contains: ["network[0] (dense).unit", "unknown option"])
    }

    func testUnknownFieldAndSolverAndHyperparameter() {
        assertError(Self.minimal + "\nextra: 1", contains: ["field 'extra'", "unknown field"])
        assertError(Self.minimal.replacingOccurrences(of: "adam: {lr: 0.01}", with: "adamw: {lr: 0.01}"),
                    contains: ["solvers.adamw", "unknown solver"])
        assertError(Self.minimal.replacingOccurrences(of: "lipschitz: 20", with: "lipshitz: 20"),
                    contains: ["solvers.bpgrad.lipshitz", "unknown hyperparameter"])
    }

    func testOutOfRangeValues() {
        assertError(Self.minimal.replacingOccurrences(of: "lipschitz: 20", with: "lipschitz: -1"),
                    contains: ["test.yaml:16", "solvers.bpgrad.lipschitz", "must be > 0"])
        assertError(Self.minimal.replacingOccurrences(of: "{lr: 0.01}", with: "{lr: -0.1}"), contains: ["solvers.adam.lr", "must be > 0"])
        assertError(Self.minimal, overrides: ["bpgrad.momentum=1"], contains: ["solvers.bpgrad.momentum", "in [0, 1)"])
        assertError(Self.minimal, overrides: ["training.batch_size=zero"], contains: ["training.batch_size", "whole number"])
    }

    func testSetOnAFieldThatDoesNotExist() {
        assertError(Self.minimal, overrides: ["training.batchsize=3"], contains: ["training.batchsize", "unknown field"])
        assertError(Self.minimal, overrides: ["nokey"], contains: ["expected key=value"])
        assertError(Self.minimal, overrides: ["network.9.dense=3"], contains: ["not an index"])
    }

    func testMalformedYAML() {
        assertError("name: [unclosed\n", contains: ["test.yaml", "not valid YAML", "line"])
    }

    func testShapesThatDoNotFit() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "  - dense: 2", with: "  - dense: 5")
        XCTAssertThrowsError(try Experiment(preset: try parse(yaml))) { error in
            XCTAssertTrue("\(error)".contains("produces 5 but the data has 2 classes"), "\(error)")
        }
        let conv = Self.minimal.replacingOccurrences(of: "  - dense: 8", with: "  - conv2d: {filters: 2, kernel: 3}")
        XCTAssertThrowsError(try Experiment(preset: try parse(conv))) { error in
            XCTAssertTrue("\(error)".contains("layer 1 (conv2d(2@3x3))"), "\(error)")
            XCTAssertTrue("\(error)".contains("receives 2"), "\(error)")
        }
    }

    func testLibraryFindsByNameAndListsKnownOnMiss() throws {
        write(Self.minimal, to: "\(dir)/tiny.yaml")
        let library = PresetLibrary(folders: [dir])
        XCTAssertEqual(try library.load("tiny").name, "tiny")
        XCTAssertEqual(library.entries().map(\.name), ["tiny"])
        XCTAssertThrowsError(try library.load("tinny")) { error in
            XCTAssertTrue("\(error)".contains("Known presets: tiny"), "\(error)")
        }
    }

    func testShippedPresetsAllLoad() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("presets").path
        let entries = PresetLibrary(folders: [folder]).entries()
        XCTAssertEqual(Set(entries.map(\.name)).isSuperset(of: ["spirals", "moons", "sine-regression", "fashion-mnist-mlp", "fashion-mnist-lenet"]), true)
        for e in entries { XCTAssertNoThrow(try PresetLibrary.load(path: e.path, overrides: []), e.name) }
    }
}
