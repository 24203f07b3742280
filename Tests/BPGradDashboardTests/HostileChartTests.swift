@testable import BPGradDashboard
import BPGradEngine
import Foundation
import XCTest

/// Values a run directory can hold that once trapped the charts (issue 20): reversed spans on
/// the time axis, ±1e308 (whose span overflows to infinity), NaN and infinite x.
final class HostileChartTests: XCTestCase {
    private func render(_ chart: LineChart, sizes: [(Int, Int)] = [(40, 10), (12, 5), (120, 30)]) -> Grid {
        var last = Grid(width: 0, height: 0)
        for (w, h) in sizes {
            var g = Grid(width: w, height: h)
            chart.render(into: &g, area: g.area)
            var log = chart
            log.logScale = true
            log.render(into: &g, area: g.area)
            last = g
        }
        return last
    }

    /// Item 1: a span whose end comes before its start (wall_ms that went back).
    func testReversedSpansDrawWithoutATrap() {
        let spans = [LineChart.Span(x0: 50, x1: 10, min: 1, max: 2, mean: 1.5), LineChart.Span(x0: 60, x1: 70, min: 1, max: 3, mean: 2)]
        for draw in [LineChart.Series.Draw.line, .band, .scatter] {
            let g = render(LineChart(title: "t", series: [.init(name: "s", color: .red, points: [(80, 1), (90, 2)], spans: spans, draw: draw)]))
            XCTAssertFalse(g.description.contains("no data"), g.description)
        }
    }

    /// Item 2: one value at 1e308 and one at -1e308 overflow the y span to infinity.
    func testExtremeFiniteValuesDrawWithoutATrap() {
        let big = Double.greatestFiniteMagnitude
        let cases: [[(x: Double, y: Double)]] = [
            [(1, 1e308), (2, -1e308), (3, 0.5)],
            [(1, big), (2, -big)],
            [(1, big), (2, big)],
            [(1, 5e-324), (2, 1e-320)],
            [(-big, 1), (big, 2)],
            [(.nan, 1), (.infinity, 2), (-.infinity, 3), (4, 4)],
            [(1e300, 1), (1e300.nextUp, 2)],
        ]
        for points in cases {
            for draw in [LineChart.Series.Draw.line, .band, .scatter] {
                let spans = points.map { LineChart.Span(x0: $0.x, x1: $0.x, min: $0.y, max: $0.y, mean: $0.y) }
                var chart = LineChart(title: "t", series: [.init(name: "s", color: .red, points: points, draw: draw),
                                                           .init(name: "b", color: .blue, points: [], spans: spans, draw: draw)])
                chart.markers = points.map { LineChart.Marker(x: $0.x, color: .red) }
                chart.cursor = points.first?.x
                _ = render(chart)
                chart.xRange = -big...big
                _ = render(chart)
                chart.yDomain = -big...big
                _ = render(chart)
            }
        }
        // The line is drawn and the scale says how large the values are.
        var g = Grid(width: 40, height: 10)
        LineChart(title: "t", series: [.init(name: "s", color: .red, points: [(1, 1e308), (2, -1e308), (3, 0)])]).render(into: &g, area: g.area)
        XCTAssertFalse(g.description.contains("no data"), g.description)
        XCTAssertTrue(g.description.contains("e308"), g.description)
    }

    /// Labels of subnormal values: their scale 10^-324 is 0 as a double.
    func testTicksOfSubnormalValues() {
        let ticks = AxisTicks.linear(from: 0, to: 1e-320, count: 5)
        XCTAssertFalse(ticks.isEmpty)
        XCTAssertEqual(AxisTicks.labels([5e-324, 1e-323], step: 5e-324).count, 2)
        XCTAssertNotNil(AxisTicks.axisRange(min: -1e308, max: 1e308), "a span that overflows is still a range")
        XCTAssertNotNil(AxisTicks.axisRange(min: -Double.greatestFiniteMagnitude, max: Double.greatestFiniteMagnitude))
    }

    /// Item 1 end to end: a store fed wall times that go back (as the live store never is, but a
    /// run directory once was), drawn on the time axis at every size.
    func testTimeAxisWithDecreasingWallTimes() {
        var m = ConfigurationMetrics(configuration: sampleConfigurations("adam")[0], totalSteps: 100)
        for s in 1...6000 {
            let wall = s % 3 == 0 ? Double(10_000 - s) : (s % 7 == 0 ? 1e308 : Double(s))
            m.record(StepRecord(step: s, epoch: 1, loss: s % 5 == 0 ? 1e308 : (s % 11 == 0 ? -1e308 : 1 / Double(s)), telemetry: SolverTelemetry(),
                                wallMilliseconds: s % 13 == 0 ? .nan : wall, samples: 1))
        }
        m.status = .running
        let snapshot = SessionSnapshot(configurations: [m], events: [], markers: [SessionEvent(step: 3, wallMilliseconds: -5, solver: m.name, kind: .set, detail: "")],
                                       elapsedSeconds: 1)
        for axis in XAxis.allCases {
            var state = DashboardState()
            state.xAxis = axis
            for (w, h) in [(120, 40), (60, 20), (20, 8)] {
                _ = DashboardView(snapshot: snapshot, info: sampleInfo, state: state).render(width: w, height: h)
                state.logScale.toggle()
                _ = DashboardView(snapshot: snapshot, info: sampleInfo, state: state).render(width: w, height: h)
            }
        }
    }
}
