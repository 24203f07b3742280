import BPGradEngine
import XCTest

final class DecimatedSeriesTests: XCTestCase {
    func testAMillionAppendsStayWithinTheBoundAndKeepSpikes() {
        var s = DecimatedSeries(recentCapacity: 2048, bucketCapacity: 2048)
        for i in 0..<1_000_000 {
            let spike = i == 123_456 ? 1000.0 : (i == 654_321 ? -1000.0 : 0)
            s.append(x: Double(i), y: Double(i % 7) + spike)
        }
        XCTAssertEqual(s.totalCount, 1_000_000)
        XCTAssertLessThanOrEqual(s.storedCount, 2048 + 2048 + 1)
        XCTAssertEqual(s.recent.count, 2048)
        XCTAssertEqual(s.recent.last?.x, 999_999)
        XCTAssertEqual(s.spans.map(\.max).max(), 1000 + Double(123_456 % 7))
        XCTAssertEqual(s.spans.map(\.min).min(), -1000 + Double(654_321 % 7))
        // Every older point is summarised exactly once, in order.
        XCTAssertEqual(s.spans.reduce(0) { $0 + $1.count }, 1_000_000 - 2048)
        XCTAssertEqual(s.spans.first?.x0, 0)
        XCTAssertEqual(s.spans.last?.x1, Double(1_000_000 - 2048 - 1))
        XCTAssertTrue(zip(s.spans, s.spans.dropFirst()).allSatisfy { $0.x1 < $1.x0 })
    }

    func testMeanOfBucketsMatchesThePoints() {
        var s = DecimatedSeries(recentCapacity: 4, bucketCapacity: 4)
        for i in 0..<100 { s.append(x: Double(i), y: Double(i)) }
        let sum = s.spans.reduce(0) { $0 + $1.sum }
        XCTAssertEqual(sum, Double((0..<96).reduce(0, +)))
        XCTAssertEqual(s.recent.map(\.y), [96, 97, 98, 99])
    }

    func testNonFiniteValuesDoNotPoisonSummaries() {
        var s = DecimatedSeries(recentCapacity: 2, bucketCapacity: 2)
        for y in [1.0, .nan, .infinity, 2, 3, 4] { s.append(x: 0, y: y) }
        XCTAssertTrue(s.spans.allSatisfy { $0.min.isFinite && $0.max.isFinite })
    }

    /// The first value comes back as it is (no pull toward zero), a constant stays constant,
    /// and a NaN passes through without touching the average.
    func testDebiasedEMA() {
        var e = DebiasedEMA(weight: 0.9)
        XCTAssertEqual(e.add(4), 4, accuracy: 1e-12)
        XCTAssertEqual(e.add(4), 4, accuracy: 1e-12)
        XCTAssertTrue(e.add(.nan).isNaN)
        // (0.9 * 0.1 * 4 + 0.1 * 4) * 0.9 + 0.1 * 1 over 1 - 0.9^3
        XCTAssertEqual(e.add(1), (0.9 * (0.9 * 0.4 + 0.4) + 0.1) / (1 - 0.729), accuracy: 1e-12)
    }
}
