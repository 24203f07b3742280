import BPGradEngine
import XCTest

/// The configuration syntax, labels, names and limits.
final class ConfigurationTests: XCTestCase {
    private func resolve(_ text: String, preset: Preset? = nil) throws -> [Configuration] {
        let base: (SolverKind) -> Hyperparameters = preset.map { p in { p.settings(for: $0) } } ?? { SolverRegistry.descriptor($0)!.defaults }
        return try ConfigurationList.resolve(ConfigurationSyntax.parseList(text, field: "--solvers"), base: base, field: "--solvers")
    }

    private func assertError(_ text: String, _ parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try resolve(text), file: file, line: line) { error in
            for part in parts { XCTAssertTrue("\(error)".contains(part), "'\(error)' lacks '\(part)'", file: file, line: line) }
        }
    }

    func testSyntaxParsesOverridesAndLabels() throws {
        let specs = try ConfigurationSyntax.parseList(" bpgrad , bpgrad:lipschitz=50:momentum=0.5@steep,adam:lr=3e-4 ", field: "x")
        XCTAssertEqual(specs, [
            ConfigurationSpec(solver: "bpgrad"),
            ConfigurationSpec(solver: "bpgrad", overrides: [.init(key: "lipschitz", value: "50"), .init(key: "momentum", value: "0.5")], label: "steep"),
            ConfigurationSpec(solver: "adam", overrides: [.init(key: "lr", value: "3e-4")]),
        ])
        XCTAssertEqual(specs[1].text, "bpgrad:lipschitz=50:momentum=0.5@steep")
    }

    /// Labels read as the overrides; names stay today's when a kind is alone, and are file-safe otherwise.
    func testLabelsAndNames() throws {
        let c = try resolve("bpgrad, bpgrad:L=50, adam:lr=3e-4, bpgrad:lipschitz=5@steep")
        XCTAssertEqual(c.map(\.label), ["BPGrad", "BPGrad L=50", "Adam lr=3e-4", "steep"])
        XCTAssertEqual(c.map(\.name), ["bpgrad", "bpgrad-L50", "adam", "steep"])
        XCTAssertEqual(c[1].hyperparameters["lipschitz"], .number(50), "L is lipschitz's symbol")
        XCTAssertEqual(c[2].hyperparameters["lr"], .number(3e-4))
        let twins = try resolve("adam, adam")
        XCTAssertEqual(twins.map(\.label), ["Adam", "Adam #2"])
        XCTAssertEqual(twins.map(\.name), ["adam", "adam-2"])
        XCTAssertEqual(try resolve("sgd@events").map(\.name), ["sgd"], "alone of its kind: the kind's name")
        XCTAssertEqual(try resolve("sgd@events, sgd").map(\.name), ["events-2", "sgd"], "a label that would clash with events.csv gets a suffix")
        XCTAssertEqual(ConfigurationList.fileSafe("BPGrad L=1e-3 μ/0.5", kind: "bpgrad"), "bpgrad-L1e-3-0.5")
    }

    func testOverridesApplyOnTopOfThePresetsSettings() throws {
        let preset = try PresetLibrary.parse(yaml: PresetTests.minimal, file: "tiny.yaml", overrides: [])
        let c = try resolve("bpgrad, bpgrad:momentum=0.5", preset: preset)
        XCTAssertEqual(c[0].hyperparameters["lipschitz"], .number(20), "the preset's L")
        XCTAssertEqual(c[1].hyperparameters["lipschitz"], .number(20))
        XCTAssertEqual(c[1].hyperparameters["momentum"], .number(0.5))
    }

    func testBadInputGetsClearErrors() {
        assertError("", ["--solvers", "names no configuration"])
        assertError("bpgrad,,adam", ["configuration 2 is empty"])
        assertError("adamw", ["unknown solver 'adamw'", "bpgrad, adam, sgd"])
        assertError("bpgrad:lipschitz", ["'bpgrad:lipschitz'", "expected key=value"])
        assertError("bpgrad:lipshitz=3", ["bpgrad has no hyperparameter 'lipshitz'", "lipschitz (L)"])
        assertError("bpgrad:lipschitz=-3", ["'bpgrad:lipschitz=-3'", "invalid value -3 (must be > 0)"])
        assertError("bpgrad:lipschitz=abc", ["'abc' is not a number"])
        assertError("bpgrad:L=3:lipschitz=4", ["'lipschitz' is given twice"])
        assertError("bpgrad@", ["label after '@' is empty"])
        assertError("sgd:nesterov=true", ["Nesterov momentum requires a momentum above 0"])
        assertError(Array(repeating: "adam", count: 13).joined(separator: ","), ["13 configurations", "at most 12"])
    }

    /// A preset can list configurations in the same syntax, or as mappings.
    func testPresetConfigurations() throws {
        let yaml = PresetTests.minimal + """

        configurations:
          - bpgrad
          - bpgrad:lipschitz=50@steep
          - {solver: adam, lr: 0.003, label: fast}
        """
        let p = try PresetLibrary.parse(yaml: yaml, file: "c.yaml", overrides: [])
        let c = try p.configurations(nil)
        XCTAssertEqual(c.map(\.label), ["BPGrad", "steep", "fast"])
        XCTAssertEqual(c[2].hyperparameters["lr"], .number(0.003))
        XCTAssertEqual(try p.configurations("sgd").map(\.name), ["sgd"], "the command line wins")
        XCTAssertEqual(try p.configuration(nil).label, "BPGrad", "train takes the first")
        XCTAssertThrowsError(try PresetLibrary.parse(yaml: PresetTests.minimal + "\nconfigurations: [bpgrad:lr=1]", file: "c.yaml", overrides: [])) {
            XCTAssertTrue("\($0)".contains("configurations[0]"), "\($0)")
        }
        XCTAssertThrowsError(try p.configuration("bpgrad, adam")) { XCTAssertTrue("\($0)".contains("train runs one"), "\($0)") }
    }

    /// A grid larger than its limit is refused from the sizes of its axes, before any
    /// combination is built (three axes of 2,000 values took 3.8 GB and crashed), and a count
    /// that overflows Int is reported, not trapped on.
    func testGridLimitIsCheckedBeforeExpanding() throws {
        let values = (1...2000).map(String.init).joined(separator: ",")
        let start = Date()
        XCTAssertThrowsError(try SweepGrid(["lipschitz=\(values)", "momentum=\(values)", "rho=\(values)"])) { error in
            XCTAssertTrue("\(error)".contains("2000 × 2000 × 2000 = 8000000000 combinations; at most 200"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        let many = (0..<7).map { "k\($0)=\(values)" }
        XCTAssertThrowsError(try SweepGrid(many)) { XCTAssertTrue("\($0)".contains("more than 9.2e18"), "\($0)") }
        XCTAssertThrowsError(try SweepGrid(["lipschitz=1,2,3,4", "momentum=0,0.5,0.9,0.99"], field: "--sweep", limit: 12)) {
            XCTAssertTrue("\($0)".contains("--sweep") && "\($0)".contains("4 × 4 = 16 combinations; at most 12"), "\($0)")
        }
        XCTAssertEqual(try SweepGrid(["lipschitz=1,2,3", "momentum=0,0.9"], limit: 6).count, 6)
    }

    /// `train` on a preset with neither `configurations:` nor `solvers:` trains BPGrad.
    func testTrainDefaultsToBPGrad() throws {
        let yaml = String(PresetTests.minimal[..<PresetTests.minimal.range(of: "solvers:")!.lowerBound])
        let p = try PresetLibrary.parse(yaml: yaml, file: "tiny.yaml", overrides: [])
        XCTAssertTrue(p.configurations.isEmpty && p.solvers.isEmpty)
        XCTAssertEqual(try p.configuration(nil).kind, BPGrad.kind)
    }
}
