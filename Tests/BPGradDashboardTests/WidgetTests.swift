@testable import BPGradDashboard
import BPGradEngine
import XCTest

final class WidgetTests: XCTestCase {
    func testBrailleDotsMapToTheirBits() {
        var c = BrailleCanvas(columns: 2, rows: 1)
        c.dot(0, 0, .plain)           // bit 0x01
        c.dot(1, 3, .plain)           // bit 0x80
        c.dot(2, 0, .plain); c.dot(2, 1, .plain); c.dot(2, 2, .plain); c.dot(2, 3, .plain)  // left column: 0x47
        c.dot(99, 99, .plain)         // outside: ignored
        c.dot(-1, 0, .plain)
        XCTAssertEqual(c.character(column: 0, row: 0), "\u{2881}")
        XCTAssertEqual(c.character(column: 1, row: 0), "\u{2847}")
    }

    func testBrailleLineIsContinuous() {
        var c = BrailleCanvas(columns: 4, rows: 1)
        c.line(0, 3, 7, 0, .plain)
        var g = Grid(width: 4, height: 1)
        c.render(into: &g, x: 0, y: 0)
        XCTAssertEqual(g.lines, ["⣀⠤⠒⠉"])
    }

    func testChartOnARamp() {
        var g = Grid(width: 30, height: 8)
        LineChart(title: "ramp", series: [.init(name: "A", color: .red, points: (0...20).map { (x: Double($0), y: Double($0) / 20) })])
            .render(into: &g, area: g.area)
        assertSnapshot(g, named: "chart-ramp", styles: true)
    }

    func testChartLogScaleAndMarkers() {
        var g = Grid(width: 34, height: 9)
        var chart = LineChart(title: "loss", series: [.init(name: "BPGrad", color: .cyan, points: (0...30).map { (x: Double($0), y: pow(10, 2 - Double($0) / 10)) })])
        chart.logScale = true
        chart.markers = [.init(x: 15, color: .yellow)]
        chart.render(into: &g, area: g.area)
        assertSnapshot(g, named: "chart-log-marker", styles: true)
        XCTAssertTrue(g.lines[0].contains("(log)"))
        // Ticks sit at whole powers of ten and show values, not their logarithms.
        let labels = g.lines.filter { $0.contains("┤") }.map { line in
            String(line.dropFirst().prefix { $0 != "┤" }).trimmingCharacters(in: .whitespaces)
        }
        XCTAssertEqual(labels, ["100", "10", "1", "0.1"], g.description)
    }

    /// The text rows of the plot (inside the frame) where a series of `color` has a dot.
    private func rows(of color: Color, in g: Grid) -> [Int] {
        (1..<(g.height - 2)).filter { y in (LineChart.yLabelWidth + 1..<(g.width - 1)).contains { g[$0, y].style.fg == color } }
    }

    /// On a log axis one series that collapses towards 0 (Adam's loss reaching 1e-170) must not
    /// flatten the others: the range reaches at most `AxisTicks.logDecades` below the top, the
    /// collapsed series is drawn along the bottom edge, and the title says so.
    func testLogAxisClipsASeriesThatCollapsesTowardsZero() {
        var g = Grid(width: 40, height: 14)
        let falling = LineChart.Series(name: "BPGrad", color: .red, points: (0...40).map { (x: Double($0), y: pow(10, -Double($0) / 8)) })
        let collapsing = LineChart.Series(name: "Adam", color: .cyan, points: (0...40).map { (x: Double($0), y: pow(10, -Double($0) * 170 / 40)) })
        var chart = LineChart(title: "loss", series: [falling, collapsing])
        chart.logScale = true
        chart.render(into: &g, area: g.area)
        assertSnapshot(g, named: "chart-log-collapse", styles: true)
        // 1 down to 1e-5: five of the eight decades shown, more than half of the plot's 10 rows.
        let red = rows(of: .red, in: g)
        XCTAssertGreaterThanOrEqual((red.max() ?? 0) - (red.min() ?? 0) + 1, 6, g.description)
        // The collapsed series stays on the chart, along its bottom row, and the title says why.
        XCTAssertTrue(rows(of: .cyan, in: g).contains(g.height - 3), g.description)
        XCTAssertTrue(g.lines[0].contains("▼"), g.lines[0])
        // Zoomed to where it has not collapsed yet, nothing is clipped: only visible points count.
        chart.xRange = 0...1
        g = Grid(width: 40, height: 14)
        chart.render(into: &g, area: g.area)
        XCTAssertFalse(g.lines[0].contains("▼"), g.description)
        XCTAssertGreaterThanOrEqual(rows(of: .cyan, in: g).count, 6, g.description)
    }

    /// Degenerate data and sizes are normal cases: nothing traps, and the chart says what it can.
    func testChartDegenerateDataAndSizes() {
        let cases: [[(x: Double, y: Double)]] = [[], [(0, 1)], [(0, 2), (1, 2), (2, 2)], [(0, .nan), (1, .infinity), (2, -.infinity)],
                                                  [(0, 0), (1, -1)], [(5, 1), (5, 2)]]
        for points in cases {
            for (w, h) in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (3, 3), (12, 5), (40, 10)] {
                var g = Grid(width: w, height: h)
                var chart = LineChart(title: "t", series: [.init(name: "s", color: .red, points: points)])
                chart.render(into: &g, area: g.area)
                chart.logScale = true
                chart.render(into: &g, area: g.area)
            }
        }
        var g = Grid(width: 30, height: 7)
        LineChart(title: "empty", series: []).render(into: &g, area: g.area)
        XCTAssertTrue(g.description.contains("no data"))
        g = Grid(width: 30, height: 7)
        LineChart(title: "flat", series: [.init(name: "s", color: .red, points: [(0, 2), (10, 2)])]).render(into: &g, area: g.area)
        assertSnapshot(g, named: "chart-constant", styles: true)
    }

    func testCompactNumbers() {
        XCTAssertEqual(NumberText.compact(0), "0")
        XCTAssertEqual(NumberText.compact(1.5), "1.5")
        XCTAssertEqual(NumberText.compact(0.12345), "0.123")
        XCTAssertEqual(NumberText.compact(12.34), "12.3")
        XCTAssertEqual(NumberText.compact(1234), "1234")
        XCTAssertEqual(NumberText.compact(123_456), "1.2e5")
        XCTAssertEqual(NumberText.compact(0.00012), "1.2e-4")
        XCTAssertEqual(NumberText.compact(1e-8), "1e-8")
        XCTAssertEqual(NumberText.compact(.nan), "nan")
        XCTAssertEqual(NumberText.compact(-.infinity), "-inf")
    }

    func testGridClipsWritesOutside() {
        var g = Grid(width: 3, height: 2)
        g.write("abcdef", x: 1, y: 0)
        g.write("zz", x: -1, y: 1)
        g.set(5, 5, "x")
        XCTAssertEqual(g.lines, [" ab", "z"])
        XCTAssertEqual(Grid(lines: ["ab", "c"]).lines, ["ab", "c"])
    }
}

final class ChartTests: XCTestCase {
    /// A noisy series and a smooth one: each a line through its column means, the noise a faint band behind.
    func testTwoAndThreeOverlappingSeries() {
        func noisy(_ k: Double) -> [(x: Double, y: Double)] {
            (0...400).map { i -> (x: Double, y: Double) in
                let x = Double(i)
                let trend: Double = 1 / (1 + x / (50 * k))
                return (x, trend + 0.08 * sin(x * 2.3 + k))
            }
        }
        for count in [2, 3] {
            var series = [LineChart.Series]()
            for k in 0..<count {
                let color = Palette.color(forConfiguration: k)
                series.append(.init(name: "S\(k + 1)", color: color, points: noisy(Double(k + 1)), draw: .band, faint: true, legend: false))
                series.append(.init(name: "S\(k + 1)", color: color, points: noisy(Double(k + 1))))
            }
            var g = Grid(width: 44, height: 12)
            LineChart(title: "loss", series: series).render(into: &g, area: g.area)
            assertSnapshot(g, named: "chart-\(count)-series", styles: true)
            for k in 0..<count {
                let color = Palette.color(forConfiguration: k)
                XCTAssertTrue(g.cells.contains { $0.style.fg == color && !$0.style.dim && $0.symbol != "■" }, "series \(k + 1) has a bright line")
            }
        }
    }

    private func yLabels(_ g: Grid) -> [String] {
        g.lines.filter { $0.contains("┤") }.map { line in
            String(line.dropFirst().prefix { $0 != "┤" }).trimmingCharacters(in: .whitespaces)
        }
    }

    func testTicksAreAtOneTwoFiveSteps() {
        var g = Grid(width: 40, height: 12)
        LineChart(title: "t", series: [.init(name: "a", color: .red, points: [(0, 0.07), (100, 1.63)])]).render(into: &g, area: g.area)
        XCTAssertEqual(yLabels(g), ["1.5", "1.0", "0.5", "0.0"], "1-2-5 steps, one number of decimals per axis (AxisTicks)")
        let xs = g.lines.last { !$0.contains("╰") && $0.contains("0") }!
        XCTAssertTrue(xs.contains("50") && xs.contains("100"), "x ticks at round steps: \(xs)")
    }

    func testAccuracyAxisStaysWithinZeroAndOne() {
        var g = Grid(width: 40, height: 12)
        var chart = LineChart(title: "acc", series: [.init(name: "a", color: .red, points: [(0, 0.2), (50, 0.97), (100, 1)])])
        chart.yDomain = 0...1
        chart.render(into: &g, area: g.area)
        let labels = yLabels(g)
        XCTAssertTrue(["1", "1.0", "1.00"].contains(labels.first ?? ""), g.description)
        XCTAssertFalse(labels.contains { Double($0)! > 1 || Double($0)! < 0 })
    }

    func testLogAxisTicksAreEvenlySpacedDecades() {
        var g = Grid(width: 40, height: 14)
        var chart = LineChart(title: "l", series: [.init(name: "a", color: .red, points: (0...50).map { (Double($0), pow(10, 3 - Double($0) / 10)) })])
        chart.logScale = true
        chart.render(into: &g, area: g.area)
        let rows = g.lines.indices.filter { g.lines[$0].contains("┤") }
        let labels = yLabels(g)
        XCTAssertGreaterThanOrEqual(labels.count, 3, g.description)
        XCTAssertTrue(labels.allSatisfy { ["1000", "100", "10", "1", "0.1", "0.01", "1e3", "1e2", "1e1", "1e0", "1e-1", "1e-2"].contains($0) }, "\(labels)")
        let gaps = zip(rows.dropFirst(), rows).map { $0 - $1 }
        XCTAssertLessThanOrEqual((gaps.max() ?? 0) - (gaps.min() ?? 0), 1, "decades evenly spaced: \(rows)")
    }

    /// Every widget draws at 0x0 up to 3x3 without trapping and without touching cells outside its area.
    func testWidgetsAtTinySizesStayInTheirArea() {
        let snapshot = sampleSnapshot(steps: 20)
        var withBoundary = snapshot.configurations[0]
        let request = DecisionBoundary.Request(x: -1...1, y: -1...1, width: 4, height: 4)
        withBoundary.boundary = DecisionBoundary(request: request, logits: [Float](repeating: 0.5, count: 32), classCount: 2, step: 20)
        let plane = DashboardInfo.Plane(points: [SIMD2(0, 0)], labels: [1], classes: 2, x: -1...1, y: -1...1)
        let entry = PresetLibrary.Entry(name: "spirals", description: "three arms", location: .file("/p/s.yaml"))
        let widgets: [any Widget] = [
            LineChart(title: "t", series: [.init(name: "s", color: .red, points: [(0, 1), (1, 2)])]),
            SelectableList(title: "p", lines: [.init("a", selected: true)]),
            HelpOverlay(title: "k", entries: HelpText.keys),
            PickerOverlay(entries: [entry], selection: 0, current: "spirals"),
            Table(columns: [.init("a", width: 3)], rows: [(["x"], .plain)]),
            Heatmap(function: TestFunction.rastrigin),
            ParameterPanel(snapshot: snapshot, selected: 0, editor: nil, hidden: [], changes: [("L 10→12.5 @3", .red)]),
            BoundaryPanel(metrics: withBoundary, color: .red, plane: plane),
            ConfigurationTable(snapshot: snapshot, hidden: []),
        ]
        for (w, h) in [(0, 0), (1, 0), (0, 1), (1, 1), (2, 2), (3, 3)] {
            var g = sentinelGrid(8, 8)
            let area = Rect(x: 2, y: 2, width: w, height: h)
            for widget in widgets { widget.render(into: &g, area: area) }
            for y in 0..<8 { for x in 0..<8 where !(x >= 2 && x < 2 + w && y >= 2 && y < 2 + h) { XCTAssertEqual(g[x, y].symbol, "░", "\(w)x\(h) wrote outside at \(x),\(y)") } }
        }
    }
}

final class PaletteTests: XCTestCase {
    /// On 8-colour terminals every solver keeps a distinct colour and the heat ramp still runs dark to light.
    func testBasicColoursStayDistinct() {
        let first = (0..<6).map { Palette.basic(Palette.color(forConfiguration: $0)) }
        XCTAssertEqual(Set(first).count, 6, "\(first)")
        let all = (0..<12).map { Palette.color(forConfiguration: $0) }
        XCTAssertEqual(Set(all).count, 12, "twelve distinct colours on 256-colour terminals")
        XCTAssertEqual(Palette.basic(.indexed(17)), .blue)
        XCTAssertEqual(Palette.basic(.indexed(229)), .white)
        XCTAssertEqual(Palette.basic(.indexed(220)), .yellow)
        XCTAssertEqual(Palette.basic(.indexed(236)), .black)
        XCTAssertEqual(Palette.basic(.indexed(43)), .cyan)
        XCTAssertEqual(Palette.basic(.indexed(196)), .red)
        XCTAssertEqual(Palette.basic(.indexed(3)), .yellow)
        XCTAssertEqual(Palette.basic(.reset), .reset)
    }
}
