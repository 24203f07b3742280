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
        let library = PresetLibrary(folders: [dir], includesBuiltIn: false)
        XCTAssertEqual(try library.load("tiny").name, "tiny")
        XCTAssertEqual(library.entries().map(\.name), ["tiny"])
        XCTAssertThrowsError(try library.load("tinny")) { error in
            XCTAssertTrue("\(error)".contains("Known presets: tiny"), "\(error)")
        }
    }

    func testShippedPresetsAllLoad() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("presets").path
        let entries = PresetLibrary(folders: [folder], includesBuiltIn: false).entries()
        XCTAssertEqual(Set(entries.map(\.name)).isSuperset(of: ["spirals", "moons", "sine-regression", "fashion-mnist-mlp", "fashion-mnist-lenet"]), true)
        for e in entries { XCTAssertNoThrow(try PresetLibrary.load(e.location, overrides: []), e.name) }
    }

    /// The presets compiled into the binary are the files in presets/, byte for byte (run
    /// scripts/embed_presets.py after editing one), and each loads as the file does.
    func testBuiltInPresetsAreThePresetsFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("presets").path
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertEqual(PresetLibrary.builtInNames, files.map { String($0.dropLast(5)) },
                       "presets/ and the built-in presets differ: run /usr/bin/python3 scripts/embed_presets.py")
        for name in PresetLibrary.builtInNames {
            let text = try String(contentsOfFile: "\(folder)/\(name).yaml", encoding: .utf8)
            XCTAssertEqual(PresetLibrary.builtInYAML(name), text,
                           "\(name): the built-in copy differs from presets/\(name).yaml: run /usr/bin/python3 scripts/embed_presets.py")
            let onDisk = try PresetLibrary.load(path: "\(folder)/\(name).yaml", overrides: [])
            let builtIn = try PresetLibrary.load(.builtIn(name: name), overrides: [])
            XCTAssertEqual(builtIn.resolvedYAML, onDisk.resolvedYAML)
            XCTAssertEqual(builtIn.location, .builtIn(name: name))
        }
    }

    /// A copied binary with no preset folder finds the built-in presets; a folder's preset of
    /// the same name hides the built-in one, and the listing says where each was found.
    func testFoldersComeBeforeTheBuiltInPresets() throws {
        let empty = PresetLibrary(folders: [dir + "/none"])
        XCTAssertEqual(try empty.location(of: "spirals"), .builtIn(name: "spirals"))
        XCTAssertEqual(try empty.load("spirals", overrides: ["training.steps=7"]).training.steps, 7)
        XCTAssertEqual(Set(empty.entries().map(\.name)), Set(PresetLibrary.builtInNames))
        write(Self.minimal.replacingOccurrences(of: "name: tiny", with: "name: spirals"), to: "\(dir)/spirals.yaml")
        let mine = PresetLibrary(folders: [dir])
        XCTAssertEqual(try mine.location(of: "spirals"), .file("\(dir)/spirals.yaml"))
        XCTAssertEqual(mine.entries().first { $0.name == "spirals" }?.location, .file("\(dir)/spirals.yaml"))
        XCTAssertEqual(mine.entries().first { $0.name == "spirals" }?.description, "a test preset")
        XCTAssertEqual(mine.entries().first { $0.name == "moons" }?.location, .builtIn(name: "moons"))
        XCTAssertThrowsError(try empty.load("spiralz")) { error in
            XCTAssertTrue("\(error)".contains("Known presets: fashion-mnist-lenet"), "\(error)")
        }
    }

    /// `--presets-dir` folders come first, then $BPGRAD_TUI_PRESETS, ./presets and
    /// $XDG_CONFIG_HOME/bpgrad-tui/presets.
    func testTheStandardSearchOrder() {
        let library = PresetLibrary.standard(directories: ["/a"], environment: ["BPGRAD_TUI_PRESETS": "/b:/c", "XDG_CONFIG_HOME": "/x"])
        XCTAssertEqual(library.folders, ["/a", "/b", "/c", FileManager.default.currentDirectoryPath + "/presets", "/x/bpgrad-tui/presets"])
        XCTAssertTrue(library.includesBuiltIn)
    }
}
