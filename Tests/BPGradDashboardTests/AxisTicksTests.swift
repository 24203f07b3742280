import BPGradDashboard
import BPGradEngine
import Foundation
import XCTest

final class AxisTicksTests: XCTestCase {
    private func values(_ ticks: [AxisTicks.Tick]) -> [Double] { ticks.map(\.value) }
    private func labels(_ ticks: [AxisTicks.Tick]) -> [String] { ticks.map(\.label) }

    /// The number of decimals of a plain label (0 without a point).
    private func decimals(_ label: String) -> Int {
        let mantissa = label.split(whereSeparator: { $0 == "e" || $0.isLetter }).first.map(String.init) ?? label
        return mantissa.split(separator: ".").dropFirst().first?.count ?? 0
    }

    func testStepsAreOneTwoFive() {
        XCTAssertEqual(AxisTicks.step(span: 1.6, count: 4), 0.5)
        XCTAssertEqual(AxisTicks.step(span: 1, count: 5), 0.2)
        XCTAssertEqual(AxisTicks.step(span: 100, count: 10), 10)
        XCTAssertEqual(AxisTicks.step(span: 7, count: 3), 2)
        XCTAssertNil(AxisTicks.step(span: 0, count: 5))
        XCTAssertNil(AxisTicks.step(span: .infinity, count: 5))
        XCTAssertNil(AxisTicks.step(span: .nan, count: 5))
    }

    func testZeroToOnePointSix() {
        let t = AxisTicks.linear(from: 0, to: 1.6, count: 4)
        XCTAssertEqual(values(t), [0, 0.5, 1, 1.5])
        XCTAssertEqual(labels(t), ["0.0", "0.5", "1.0", "1.5"])
    }

    func testTicksAreExactDecimalsNotAccumulatedSums() {
        let t = AxisTicks.linear(from: 0, to: 1, count: 10)
        XCTAssertEqual(values(t), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
        XCTAssertEqual(t[3].label, "0.3")
        XCTAssertEqual(labels(AxisTicks.linear(from: 0.9, to: 0.97, count: 4)), ["0.90", "0.92", "0.94", "0.96"])
    }

    func testRangeCrossingZero() {
        let t = AxisTicks.linear(from: -3.2, to: 7.5, count: 5)
        XCTAssertEqual(values(t), [-2, 0, 2, 4, 6])
        XCTAssertEqual(labels(t), ["-2", "0", "2", "4", "6"])
        let small = AxisTicks.linear(from: -0.013, to: 0.021, count: 4)
        XCTAssertEqual(labels(small), ["-0.01", "0.00", "0.01", "0.02"])
        XCTAssertFalse(labels(small).contains("-0.00"))
    }

    func testHugeAndTinyRanges() {
        XCTAssertEqual(labels(AxisTicks.linear(from: 0, to: 1_000_000, count: 5)), ["0", "0.2M", "0.4M", "0.6M", "0.8M", "1.0M"])
        XCTAssertEqual(labels(AxisTicks.linear(from: 0, to: 20_000, count: 4)), ["0", "5k", "10k", "15k", "20k"])
        XCTAssertEqual(labels(AxisTicks.linear(from: 0, to: 5000, count: 5)), ["0", "1000", "2000", "3000", "4000", "5000"])
        XCTAssertEqual(labels(AxisTicks.linear(from: 0, to: 4e-5, count: 4)), ["0", "1e-5", "2e-5", "3e-5", "4e-5"])
        XCTAssertEqual(labels(AxisTicks.linear(from: 1e-9, to: 5e-9, count: 4)), ["1e-9", "2e-9", "3e-9", "4e-9", "5e-9"])
        XCTAssertEqual(labels(AxisTicks.linear(from: 0, to: 3e20, count: 3)), ["0", "1e20", "2e20", "3e20"])
        // Bounds whose difference overflows.
        let extreme = AxisTicks.linear(from: -1.7e308, to: 1.7e308, count: 4)
        XCTAssertGreaterThanOrEqual(extreme.count, 2)
        XCTAssertTrue(extreme.allSatisfy { $0.value.isFinite })
        // A tiny span far from zero keeps enough decimals to tell the ticks apart.
        let narrow = AxisTicks.linear(from: 1000.001, to: 1000.004, count: 3)
        XCTAssertEqual(labels(narrow), ["1000.001", "1000.002", "1000.003", "1000.004"])
        // Beyond double precision the ticks collapse to distinct values rather than duplicates.
        let collapsed = AxisTicks.linear(from: 1e17, to: 1e17 + 64, count: 5)
        XCTAssertEqual(Set(labels(collapsed)).count, collapsed.count)
    }

    func testConstantSeries() {
        let five = AxisTicks.linear(from: 5, to: 5, count: 4)
        XCTAssertGreaterThanOrEqual(five.count, 2)
        XCTAssertTrue(values(five).contains(5))
        XCTAssertEqual(values(AxisTicks.linear(from: 0, to: 0, count: 4)), [-1, -0.5, 0, 0.5, 1])
        XCTAssertEqual(AxisTicks.axisRange(min: 5, max: 5), 4.5...5.5)
        XCTAssertEqual(AxisTicks.axisRange(min: 0, max: 0), -1...1)
        let logConstant = AxisTicks.axisRange(min: 0.01, max: 0.01, log: true)!
        XCTAssertEqual(log10(logConstant.lowerBound), -2.5, accuracy: 1e-9)
        XCTAssertEqual(log10(logConstant.upperBound), -1.5, accuracy: 1e-9)
    }

    func testDomainClampForAccuracy() {
        let r = AxisTicks.axisRange(min: 0.2, max: 1.0, domain: 0...1)!
        XCTAssertEqual(r.upperBound, 1.0)
        XCTAssertLessThan(r.lowerBound, 0.2)
        XCTAssertEqual(AxisTicks.axisRange(min: 1, max: 1, domain: 0...1), 0.9...1.0)
        let t = AxisTicks.linear(from: 0.95, to: 1.05, count: 4, domain: 0...1)
        XCTAssertEqual(t.last?.value, 1)
        XCTAssertTrue(t.allSatisfy { $0.value <= 1 })
        // Non-negative data is not padded below zero.
        XCTAssertEqual(AxisTicks.axisRange(min: 0, max: 2)?.lowerBound, 0)
        XCTAssertEqual(AxisTicks.axisRange(min: -1, max: 1)?.lowerBound, -1.1)
    }

    func testLogAxisAtWholeEvenlySpacedPowers() {
        let t = AxisTicks.log(from: 1e-6, to: 100, count: 5)
        XCTAssertEqual(t.map(\.power), [-6, -4, -2, 0, 2])
        XCTAssertEqual(labels(t), ["1e-6", "1e-4", "1e-2", "1e0", "1e2"])
        let wide = AxisTicks.log(from: 1e-12, to: 1e12, count: 5)
        XCTAssertEqual(wide.map(\.power), [-10, -5, 0, 5, 10])
        let few = AxisTicks.log(from: 0.005, to: 200, count: 6)
        XCTAssertEqual(labels(few), ["0.01", "0.1", "1", "10", "100"])
        XCTAssertEqual(few.map(\.value), [0.01, 0.1, 1, 10, 100])
        for ticks in [t, wide, few] {
            let steps = zip(ticks.dropFirst(), ticks).map { $0.power! - $1.power! }
            XCTAssertEqual(Set(steps).count, 1, "evenly spaced: \(steps)")
        }
    }

    func testLogRangeWithinOneDecade() {
        XCTAssertEqual(values(AxisTicks.log(from: 0.15, to: 0.9, count: 5)), [0.2, 0.5])
        XCTAssertEqual(labels(AxisTicks.log(from: 0.15, to: 0.9, count: 5)), ["0.2", "0.5"])
        XCTAssertEqual(values(AxisTicks.log(from: 2, to: 40, count: 5)), [2, 5, 10, 20])
        XCTAssertEqual(labels(AxisTicks.log(from: 2, to: 40, count: 5)), ["2", "5", "10", "20"])
        // Less than a 1-2-5 interval: linear ticks inside the range.
        let narrow = AxisTicks.log(from: 0.3, to: 0.45, count: 4)
        XCTAssertGreaterThanOrEqual(narrow.count, 2)
        XCTAssertTrue(narrow.allSatisfy { $0.value >= 0.3 && $0.value <= 0.45 })
        XCTAssertEqual(labels(narrow), ["0.30", "0.35", "0.40", "0.45"])
    }

    func testDegenerateInputGivesNoTicks() {
        XCTAssertEqual(AxisTicks.linear(from: .nan, to: 1), [])
        XCTAssertEqual(AxisTicks.linear(from: 0, to: .infinity), [])
        XCTAssertEqual(AxisTicks.log(from: 0, to: 1), [])
        XCTAssertEqual(AxisTicks.log(from: -1, to: 10), [])
        XCTAssertNil(AxisTicks.axisRange(min: .nan, max: 1))
        XCTAssertNil(AxisTicks.axisRange(min: 0, max: 1, log: true))
        XCTAssertEqual(values(AxisTicks.linear(from: 2, to: 0, count: 2)), [0, 1, 2], "inverted bounds are swapped")
        XCTAssertFalse(AxisTicks.linear(from: 0, to: 1, count: 0).isEmpty)
    }

    /// Random ranges: every tick is a multiple of a 1-2-5 step inside the range, about the
    /// target count, labels distinct with one number of decimals per axis.
    func testPropertiesOverRandomRanges() {
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<5000 {
            let scale = pow(10, Double.random(in: -8...12, using: &rng))
            let a = Double.random(in: -1...1, using: &rng) * scale
            let b = a + Double.random(in: 0.001...1, using: &rng) * scale
            let count = Int.random(in: 2...10, using: &rng)
            let ticks = AxisTicks.linear(from: a, to: b, count: count)
            XCTAssertGreaterThanOrEqual(ticks.count, 1, "\(a)...\(b)")
            XCTAssertLessThanOrEqual(ticks.count, count * 3 + 1, "\(a)...\(b) count \(count)")
            XCTAssertTrue(ticks.allSatisfy { $0.value >= a - 1e-9 * scale && $0.value <= b + 1e-9 * scale }, "\(a)...\(b)")
            XCTAssertEqual(Set(labels(ticks)).count, ticks.count, "\(a)...\(b): \(labels(ticks))")
            XCTAssertEqual(Set(ticks.filter { $0.value != 0 }.map { decimals($0.label) }).count <= 1, true, "\(labels(ticks))")
            if ticks.count >= 2 {
                let step = ticks[1].value - ticks[0].value
                let mantissa = step / pow(10, log10(step).rounded(.down))
                XCTAssertTrue([1, 2, 5, 10].contains { abs(mantissa - Double($0)) < 1e-6 }, "step \(step) for \(a)...\(b)")
                for t in ticks {
                    let k = t.value / step
                    XCTAssertEqual(k, k.rounded(), accuracy: 1e-6, "\(t.value) is not a multiple of \(step)")
                }
            }
        }
    }
}
