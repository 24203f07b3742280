import BPGradEngine
import Foundation
import XCTest

/// Layers are data: the registry's definitions are all the decoder, the plan and the network
/// know. These tests hold the recipe "a layer = its file + one registry line + its gradient
/// test" to account: every registered layer decodes, plans, builds and is documented.
final class LayerRegistryTests: XCTestCase {
    /// An input each layer accepts: images for the spatial ones, flat vectors otherwise.
    private func input(for name: String) -> Shape {
        ["conv2d", "maxpool2d", "flatten"].contains(name) ? Shape([2, 6, 6]) : Shape([12])
    }

    /// The smallest preset form of a layer: its required options given, the rest defaulted.
    private func yaml(_ d: LayerDefinition) -> String {
        let required = d.options.filter { if case .required = $0.defaultValue { true } else { false } }
        return required.isEmpty ? d.name : "{type: \(d.name), " + required.map { "\($0.name): 3" }.joined(separator: ", ") + "}"
    }

    func testEveryRegisteredLayerDecodesPlansAndBuilds() throws {
        XCTAssertEqual(Set(LayerRegistry.names).count, LayerRegistry.all.count, "names are unique")
        for d in LayerRegistry.all {
            let preset = PresetTests.minimal.replacingOccurrences(of: "  - dense: 8\n  - tanh\n", with: "  - \(yaml(d))\n")
            let spec = try XCTUnwrap(try PresetLibrary.parse(yaml: preset, file: "\(d.name).yaml", overrides: []).network.first)
            XCTAssertEqual(spec.name, d.name)
            XCTAssertTrue(spec.description.hasPrefix(d.name), spec.description)
            // Every declared option has a value once decoded, defaults included.
            for option in d.options {
                switch option.domain {
                case .count: XCTAssertNotNil(spec.options.counts[option.name], "\(d.name).\(option.name)")
                case .real: XCTAssertNotNil(spec.options.reals[option.name], "\(d.name).\(option.name)")
                }
            }
            let shape = input(for: d.name)
            let plan = try NetworkPlan(specs: [spec], inputShape: shape)
            let net = try Network(specs: [spec], inputShape: shape, seed: 1)
            XCTAssertEqual(plan.outputShape, net.outputShape, d.name)
            XCTAssertEqual(plan.parameterCount, net.parameterCount, d.name)
        }
    }

    func testDefaultsAndShorthands() throws {
        func network(_ layers: String) throws -> [LayerSpec] {
            try PresetLibrary.parse(yaml: PresetTests.minimal.replacingOccurrences(of: "  - dense: 8\n  - tanh\n", with: layers), file: "t.yaml", overrides: []).network
        }
        XCTAssertEqual(try network("  - dense: 8\n  - tanh\n"), [.dense(units: 8), .tanh, .dense(units: 2)])
        XCTAssertEqual(try network("  - dropout\n  - leaky_relu\n").prefix(2), [.dropout(rate: 0.5), .leakyReLU(slope: 0.01)])
        // A pooling stride defaults to its size; a convolution's stride to 1 and padding to 0.
        XCTAssertThrowsError(try network("  - conv2d: 3\n")) { error in
            XCTAssertTrue("\(error)".contains("(conv2d).kernel"), "\(error)")
            XCTAssertTrue("\(error)".contains("is missing"), "\(error)")
        }
        let pooled = try network("  - {maxpool2d: 3}\n").first
        XCTAssertEqual(pooled, .maxpool2d(size: 3, stride: 3))
        XCTAssertThrowsError(try network("  - {conv2d: {filters: 2, kernel: 3, padding: -1}}\n")) { error in
            XCTAssertTrue("\(error)".contains("padding"), "\(error)")
        }
        XCTAssertThrowsError(try network("  - {dense: {units: 3, bias: false}}\n")) { error in
            XCTAssertTrue("\(error)".contains("unknown option; dense takes units"), "\(error)")
        }
        XCTAssertThrowsError(try network("  - denes: 3\n")) { error in
            XCTAssertTrue("\(error)".contains("did you mean 'dense'?"), "\(error)")
            XCTAssertTrue("\(error)".contains("known layers: \(LayerRegistry.names.joined(separator: ", "))"), "\(error)")
        }
    }
}
