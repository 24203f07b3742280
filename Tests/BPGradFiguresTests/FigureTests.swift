import BPGradDashboard
@testable import BPGradFigures
import BPGradEngine
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

final class FigureTests: XCTestCase {
    var root = ""

    override func setUp() {
        root = NSTemporaryDirectory() + "bpgrad-figures-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    /// A small run directory as format version 1 describes it: BPGrad and Adam, 60 steps,
    /// test loss every 10 steps, a `set` at step 20, a fork at 30 and a divergence at 50.
    @discardableResult
    func writeRun(_ name: String, configurations: [(String, String, String)] = [("bpgrad", "bpgrad", "BPGrad"), ("adam", "adam", "Adam")],
                  steps: Int = 60, stepsPerEpoch: String = "10") -> String {
        let dir = "\(root)/\(name)"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let configs = configurations.map { #"{"name": "\#($0.0)", "kind": "\#($0.1)", "label": "\#($0.2)", "hyperparameters": {}}"# }
        let json = #"{"format": "bpgrad-run", "version": 1, "preset": "tiny", "steps_per_epoch": \#(stepsPerEpoch), "configurations": [\#(configs.joined(separator: ","))]}"#
        try! json.write(toFile: "\(dir)/run.json", atomically: true, encoding: .utf8)
        for (i, c) in configurations.enumerated() {
            var text = StepCSV.header + "\n"
            for s in 1...steps {
                let loss = 2.0 / Double(s + i) + 0.01 * Double(s % 3)
                let test = s % 10 == 0 ? String(loss * 1.1) : ""
                let acc = s % 10 == 0 ? String(min(1, Double(s) / Double(steps))) : ""
                let bp = c.1 == "bpgrad"
                text += "\(s),\((s - 1) / 10 + 1),\(c.0),\(loss),\(test),\(acc),\(bp ? "" : "0.01"),\(bp ? "0.5" : ""),\(bp ? "0.5" : ""),,1.5,\(bp ? "0.45" : "0.25"),,,,,\(Double(s) * 100)\n"
            }
            try! text.write(toFile: "\(dir)/\(c.0).csv", atomically: true, encoding: .utf8)
        }
        let events = """
        step,wall_ms,solver,event,detail
        0,0.000,bpgrad,start,lipschitz=10
        20,2000.000,bpgrad,set,lipschitz 10 -> 20
        30,3000.000,bpgrad,fork,from adam at step 30
        40,4000.000,bpgrad,eval,test_loss=0.1
        50,5000.000,adam,diverged,loss=nan

        """
        try! events.write(toFile: "\(dir)/events.csv", atomically: true, encoding: .utf8)
        return dir
    }

    // MARK: formats

    /// Stroked and filled paths of an SVG, by colour (as cairo writes it) and opacity.
    final class PathCollector: NSObject, XMLParserDelegate {
        var strokes: [String: Int] = [:], fills: [String: Int] = [:]
        /// Every stroked path's colour and opacity, in the order they are painted.
        var strokeOrder: [String] = []
        var width = "", height = ""
        var longestPath = 0

        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if element == "svg" { width = attributes["width"] ?? ""; height = attributes["height"] ?? "" }
            guard element == "path" else { return }
            // cairo 1.16 writes a style attribute; later versions write presentation attributes.
            var props: [String: String] = [:]
            for part in (attributes["style"] ?? "").split(separator: ";") {
                let kv = part.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if kv.count == 2 { props[kv[0]] = kv[1] }
            }
            for (k, v) in attributes where k != "style" && k != "d" { props[k] = v }
            longestPath = max(longestPath, (attributes["d"] ?? "").count)
            if let stroke = props["stroke"], stroke != "none" {
                strokes["\(stroke) \(props["stroke-opacity"] ?? "1")", default: 0] += 1
                strokeOrder.append("\(stroke) \(props["stroke-opacity"] ?? "1")")
            } else if let fill = props["fill"], fill != "none" {
                fills[fill, default: 0] += 1
            }
        }
    }

    /// cairo's rgb(...) for a colour, percentages with six decimals.
    func cairoColor(_ c: RGB) -> String {
        func pct(_ v: Double) -> String {
            let p = v * 100
            return p.rounded() == p ? "\(Int(p))%" : String(format: "%.6f%%", p)
        }
        return "rgb(\(pct(c.red)),\(pct(c.green)),\(pct(c.blue)))"
    }

    func parseSVG(_ path: String) throws -> PathCollector {
        let parser = try XCTUnwrap(XMLParser(contentsOf: URL(fileURLWithPath: path)))
        let collector = PathCollector()
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        return collector
    }

    func testRendersARunAsPNGSVGAndPDF() throws {
        let dir = writeRun("run")
        let figure = try RunPlot(metric: .loss, smoothing: 0.6).figure(directories: [dir])
        let panel = try XCTUnwrap(figure.panels.first)
        XCTAssertEqual(panel.title, "loss · tiny · smoothed 0.6")
        XCTAssertEqual(panel.xLabel, "step")
        XCTAssertEqual(panel.markers.map(\.kind), [.set, .fork, .diverged])

        let png = root + "/loss.png", svg = root + "/loss.svg", pdf = root + "/loss.pdf"
        try figure.write(to: png)
        try figure.write(to: svg)
        try figure.write(to: pdf)

        let pngBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: png)))
        XCTAssertEqual(Array(pngBytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        XCTAssertGreaterThan(pngBytes.count, 10_000)
        XCTAssertLessThan(pngBytes.count, 2_000_000)
        // IHDR: width and height big-endian at bytes 16 and 20, at 2 pixels per point.
        let w = pngBytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, h = pngBytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual(w, Int(figure.size.width * 2))
        XCTAssertEqual(h, Int(figure.size.height * 2))

        let paths = try parseSVG(svg)
        let bp = FigureColors.configuration(0), adam = FigureColors.configuration(1)
        XCTAssertEqual(paths.strokes["\(cairoColor(bp)) 1"], 1, "one path for BPGrad's smoothed line: \(paths.strokes)")
        XCTAssertEqual(paths.strokes["\(cairoColor(adam)) 1"], 1, "one path for Adam's smoothed line: \(paths.strokes)")
        XCTAssertEqual(paths.strokes.filter { $0.key.hasPrefix(cairoColor(bp)) && !$0.key.hasSuffix(" 1") }.values.reduce(0, +), 1, "one faint raw path")
        // The test-loss dots are one filled path per configuration, beside its legend swatch.
        XCTAssertEqual(paths.fills[cairoColor(bp)], 2)
        XCTAssertEqual(paths.strokes["\(cairoColor(FigureColors.marker(kind: .set).color)) 0.85"], 1, "the set marker")
        XCTAssertEqual(paths.strokes["\(cairoColor(FigureColors.marker(kind: .diverged).color)) 0.85"], 1, "the divergence marker")
        XCTAssertEqual(paths.width, "\(Int(figure.size.width))pt")

        let pdfBytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
        XCTAssertEqual(String(decoding: pdfBytes.prefix(5), as: UTF8.self), "%PDF-")
        XCTAssertTrue(String(decoding: pdfBytes.suffix(8), as: UTF8.self).contains("%%EOF"))
    }

    func testMetricsPickTheRightColumn() throws {
        let dir = writeRun("run")
        let step = try RunPlot(metric: .stepSize).figure(directories: [dir]).panels[0]
        let lines = step.series.filter { $0.style == .line }
        XCTAssertEqual(lines.map(\.label), ["BPGrad", "Adam"])
        XCTAssertEqual(Set(lines[0].points.map(\.y)), [0.5], "BPGrad's step size is eta")
        XCTAssertEqual(Set(lines[1].points.map(\.y)), [0.25], "Adam's is the step norm")
        XCTAssertTrue(lines.allSatisfy { !$0.faint }, "no smoothing, no faint copies")

        let acc = try RunPlot(metric: .testAccuracy).figure(directories: [dir]).panels[0]
        XCTAssertEqual(acc.yDomain, 0...1)
        XCTAssertEqual(acc.series[0].points.count, 6)

        let time = try RunPlot(metric: .gradNorm, xAxis: .time).figure(directories: [dir]).panels[0]
        XCTAssertEqual(time.xLabel, "training time (s)")
        XCTAssertEqual(time.series[0].points.last?.x, 6.0)
        XCTAssertEqual(time.markers.map(\.x), [2, 3, 5])

        let epoch = try RunPlot(metric: .loss, xAxis: .epoch).figure(directories: [dir]).panels[0]
        XCTAssertEqual(epoch.series[0].points.last?.x, 6.0)
        XCTAssertEqual(epoch.markers.first?.x, 2.0)
    }

    func testSmoothingIsTensorBoardsDebiasedEMA() throws {
        let dir = writeRun("run", configurations: [("adam", "adam", "Adam")], steps: 5)
        let panel = try RunPlot(metric: .loss, smoothing: 0.5).figure(directories: [dir]).panels[0]
        let raw = panel.series[0].points.map(\.y), smooth = panel.series[1].points.map(\.y)
        XCTAssertTrue(panel.series[0].faint)
        var last = 0.0
        for (i, y) in raw.enumerated() {
            last = last * 0.5 + 0.5 * y
            XCTAssertEqual(smooth[i], last / (1 - pow(0.5, Double(i + 1))), accuracy: 1e-12)
        }
        XCTAssertEqual(smooth[0], raw[0], "debiased: the first value is the first point")
    }

    func testLabelsThatClashAcrossDirectoriesNameTheRun() throws {
        let a = writeRun("run-a"), b = writeRun("run-b", configurations: [("bpgrad", "bpgrad", "BPGrad"), ("sgd", "sgd", "SGD")])
        let panel = try RunPlot(metric: .loss).figure(directories: [a, b]).panels[0]
        let labels = panel.series.filter { $0.showInLegend && !$0.points.isEmpty }.map(\.label)
        XCTAssertEqual(labels, ["run-a/BPGrad", "Adam", "run-b/BPGrad", "SGD"])
        let colors = panel.series.filter { $0.style == .line }.map(\.color)
        XCTAssertEqual(Set(colors).count, 4, "every configuration its own colour")
    }

    func testPreVersionOneDirectory() throws {
        let dir = writeRun("old")
        try FileManager.default.removeItem(atPath: "\(dir)/run.json")
        let panel = try RunPlot(metric: .loss, xAxis: .epoch).figure(directories: [dir]).panels[0]
        // Without run.json: configurations by name, labels from the solver registry, and the
        // epoch length found where the epoch column changes.
        XCTAssertEqual(panel.series.filter { $0.style == .line }.map(\.label), ["Adam", "BPGrad"])
        XCTAssertEqual(panel.series[0].points.last?.x, 6.0)
    }

    // MARK: errors

    func testErrorsAreOneClearParagraph() throws {
        let dir = writeRun("run", configurations: [("adam", "adam", "Adam")])
        XCTAssertThrowsError(try FigureFormat(path: "fig.jpg")) { e in
            XCTAssertEqual("\(e)", "fig.jpg: the output's extension names no format this tool writes. Use .png, .svg or .pdf (e.g. --out loss.svg).")
        }
        XCTAssertEqual(try FigureFormat(path: "a.b/FIG.PDF"), .pdf)
        XCTAssertThrowsError(try FigureFormat(path: "noextension"))
        XCTAssertThrowsError(try RunPlot(metric: .loss).figure(directories: [root + "/nope"])) { e in
            XCTAssertEqual(e as? FigureError, .noSuchDirectory(path: root + "/nope"))
            XCTAssertTrue("\(e)".contains("no such run directory"))
        }
        XCTAssertThrowsError(try RunPlot(metric: .radius).figure(directories: [dir])) { e in
            XCTAssertTrue("\(e)".contains("only BPGrad configurations have a pruned radius"), "\(e)")
        }
        XCTAssertThrowsError(try RunPlot(metric: .loss, smoothing: 1).figure(directories: [dir])) { e in
            XCTAssertTrue("\(e)".hasPrefix("--smooth: 1.0 is not a smoothing weight"), "\(e)")
        }
        let empty = root + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        XCTAssertThrowsError(try RunPlot(metric: .loss).figure(directories: [empty])) { e in
            XCTAssertTrue("\(e)".contains("no configurations"), "\(e)")
        }
        let noEpochs = writeRun("short", configurations: [("adam", "adam", "Adam")], steps: 5, stepsPerEpoch: "null")
        XCTAssertThrowsError(try RunPlot(metric: .loss, xAxis: .epoch).figure(directories: [noEpochs])) { e in
            XCTAssertTrue("\(e)".contains("Use --x step or --x time"), "\(e)")
        }
        XCTAssertNoThrow(try Figure.checkWritable(root + "/fig.svg"))
        XCTAssertThrowsError(try Figure.checkWritable(root + "/no/such/folder/fig.svg")) { e in
            XCTAssertEqual("\(e)", "\(root)/no/such/folder/fig.svg: cannot write the figure (no folder \(root)/no/such/folder). Check that the folder exists and is writable.")
        }
        let figure = try RunPlot(metric: .loss).figure(directories: [dir])
        XCTAssertThrowsError(try figure.write(to: root + "/no/such/folder/fig.svg")) { e in
            XCTAssertEqual("\(e)", "\(root)/no/such/folder/fig.svg: cannot write the figure (No such file or directory). Check that the folder exists and is writable.")
        }
    }

    // MARK: the renderer with plain data

    func testLongSeriesAreDecimatedAndPanelsFormAGrid() throws {
        let n = 1_000_000
        var points = [(x: Double, y: Double)]()
        points.reserveCapacity(n)
        for i in 0..<n { points.append((Double(i), sin(Double(i) / 5000) + (i == 654_321 ? 5 : 0))) }
        let line = FigureSeries(label: "long", color: RGB(0, 0, 255), points: points)
        var panels = (0..<4).map { FigurePanel(title: "panel \($0)", xLabel: "step", yLabel: "y", series: [line]) }
        panels[3] = FigurePanel(title: "empty", xLabel: "step", yLabel: "y", series: [])
        let figure = Figure(title: "four charts", panels: panels, columns: 2, panelWidth: 400, panelHeight: 260)
        let path = root + "/grid.svg"
        try figure.write(to: path)
        let paths = try parseSVG(path)
        XCTAssertEqual(paths.width, "800pt")
        XCTAssertEqual(paths.height, "\(520 + Int(Figure.titleHeight))pt")
        XCTAssertEqual(paths.strokes["rgb(0%,0%,100%) 1"], 3)
        // At most four points per half-point column of a ~350 pt plot, ~20 characters each.
        XCTAssertLessThan(paths.longestPath, 4 * 2 * 400 * 24)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        XCTAssertLessThan(size, 1_000_000)
    }

    func testColumnDecimatorKeepsExtremesInOrder() {
        var points: [(x: Double, y: Double)] = []
        for i in 0..<1000 {
            let y: Double = i == 500 ? 100 : i == 501 ? -100 : Double(i % 7)
            points.append((Double(i), y))
        }
        let reduced = ColumnDecimator.reduce(points, x0: 0, x1: 999, columns: 10)
        XCTAssertLessThanOrEqual(reduced.count, 40)
        XCTAssertTrue(reduced.contains { $0.y == 100 })
        XCTAssertTrue(reduced.contains { $0.y == -100 })
        XCTAssertEqual(reduced.map(\.x), reduced.map(\.x).sorted(), "original order kept")
        XCTAssertEqual(reduced.first?.x, 0)
        XCTAssertEqual(reduced.last?.x, 999)
        // A NaN breaks the line and survives as a break.
        let gap = ColumnDecimator.reduce((0..<100).map { (Double($0), $0 == 50 ? .nan : 1) }, x0: 0, x1: 99, columns: 5)
        XCTAssertEqual(gap.filter { $0.y.isNaN }.count, 1)
    }

    func testSeriesAccumulatorIsBoundedAndKeepsSpikes() {
        var acc = SeriesAccumulator(capacity: 64)
        for i in 0..<100_000 { acc.append(x: Double(i), y: i == 77_777 ? 1e6 : i == 12_345 ? -1e6 : 1) }
        acc.append(x: 100_000, y: .nan)
        let points = acc.points()
        XCTAssertEqual(acc.count, 100_000)
        XCTAssertLessThanOrEqual(points.count, 4 * 65)
        XCTAssertTrue(points.contains { $0.y == 1e6 && $0.x == 77_777 })
        XCTAssertTrue(points.contains { $0.y == -1e6 && $0.x == 12_345 })
        XCTAssertEqual(points.first?.x, 0)
        XCTAssertEqual(points.last?.x, 99_999)
        XCTAssertEqual(points.map(\.x), points.map(\.x).sorted())
    }

    func testColoursMatchTheTerminalPalette() {
        XCTAssertEqual(RGB(xterm: 51), RGB(0, 255, 255))
        XCTAssertEqual(RGB(xterm: 214), RGB(255, 175, 0))
        XCTAssertEqual(RGB(xterm: 244), RGB(128, 128, 128))
        XCTAssertEqual(RGB(xterm: 9), RGB(255, 0, 0))
        // On paper each configuration gets the darker relative of its dashboard colour, by
        // the same index: the dashboard's cyan is a teal, its orange a dark orange.
        XCTAssertEqual(FigureColors.configuration(0), FigureColors.paper[0])
        XCTAssertEqual(FigureColors.configuration(12), FigureColors.configuration(0), "the palette's twelve colours repeat")
        XCTAssertEqual(FigureColors.paper.count, Palette.configurationColors.count)
        XCTAssertEqual(Set((0..<12).map { FigureColors.configuration($0) }).count, 12)
        // The dashboard's export uses the same paper colour for a configuration's colour.
        XCTAssertEqual(FigureColors.series(Palette.color(forConfiguration: 3)), FigureColors.configuration(3))
        XCTAssertEqual(FigureColors.series(.indexed(7)), RGB(xterm: 7), "other colours as the terminal shows them")
        let t = FigureColors.configuration(0), o = FigureColors.configuration(1)
        XCTAssertTrue(t.blue > t.red && t.green > t.red, "configuration 1 stays a cyan-like hue: \(t)")
        XCTAssertTrue(o.red > o.green && o.green > o.blue, "configuration 2 stays an orange: \(o)")
    }

    /// WCAG 2 relative luminance of an sRGB colour.
    static func luminance(_ c: RGB) -> Double {
        func linear(_ v: Double) -> Double { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear(c.red) + 0.7152 * linear(c.green) + 0.0722 * linear(c.blue)
    }

    /// WCAG 2 contrast ratio against white paper: 1 (white) to 21 (black).
    static func contrastOnWhite(_ c: RGB) -> Double { 1.05 / (luminance(c) + 0.05) }

    /// CIE L*a*b* (D65) of an sRGB colour, for the distance between two colours (CIE76).
    static func lab(_ c: RGB) -> (l: Double, a: Double, b: Double) {
        func linear(_ v: Double) -> Double { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
        let r = linear(c.red), g = linear(c.green), b = linear(c.blue)
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
        func f(_ t: Double) -> Double { t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116 }
        return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))
    }

    /// Every colour a figure draws data or markers in reads on white: a WCAG contrast ratio of
    /// at least 3:1 (the level for graphical objects), and the configurations' colours stay
    /// apart from each other (CIE76 distance of at least 25; 2.3 is just noticeable).
    func testFigureColoursHaveContrastOnWhiteAndStayDistinct() {
        XCTAssertEqual(Self.contrastOnWhite(RGB.white), 1, accuracy: 1e-9)
        XCTAssertEqual(Self.contrastOnWhite(RGB.black), 21, accuracy: 1e-9)
        let configurations = (0..<12).map { FigureColors.configuration($0) }
        for (i, c) in configurations.enumerated() {
            XCTAssertGreaterThanOrEqual(Self.contrastOnWhite(c), 3, "configuration \(i + 1): \(c)")
        }
        for kind in EventKind.allCases {
            let c = FigureColors.marker(kind: kind).color
            XCTAssertGreaterThanOrEqual(Self.contrastOnWhite(c), 3, "marker \(kind.rawValue): \(c)")
        }
        for i in configurations.indices {
            for j in configurations.indices where j > i {
                let a = Self.lab(configurations[i]), b = Self.lab(configurations[j])
                let distance = ((a.l - b.l) * (a.l - b.l) + (a.a - b.a) * (a.a - b.a) + (a.b - b.b) * (a.b - b.b)).squareRoot()
                XCTAssertGreaterThanOrEqual(distance, 25, "configurations \(i + 1) and \(j + 1) look alike")
            }
        }
    }

    /// Runs of different lengths: the shorter run is painted after (over) the longer one,
    /// whatever the order of the directories, so it is never hidden under it.
    func testShortRunsAreDrawnOverLongOnes() throws {
        let short = writeRun("short", steps: 30), long = writeRun("long", steps: 600)
        for smoothing in [0.0, 0.6] {
            let figure = try RunPlot(metric: .loss, smoothing: smoothing).figure(directories: [short, long])
            let path = root + "/order-\(smoothing).svg"
            try figure.write(to: path)
            let order = try parseSVG(path).strokeOrder
            // The solid lines: short run's configurations 1 and 2, long run's 3 and 4.
            func last(_ i: Int) -> Int? { order.lastIndex(of: "\(cairoColor(FigureColors.configuration(i))) 1") }
            let shortLines = try [0, 1].map { try XCTUnwrap(last($0), "\(order)") }
            let longLines = try [2, 3].map { try XCTUnwrap(last($0), "\(order)") }
            XCTAssertGreaterThan(shortLines.min()!, longLines.max()!, "smoothing \(smoothing): \(order)")
        }
        // The legend keeps the directories' order.
        let panel = try XCTUnwrap(RunPlot(metric: .loss).figure(directories: [short, long]).panels.first)
        XCTAssertEqual(panel.series.filter(\.showInLegend).map(\.label).prefix(4), ["short/BPGrad", "short/Adam", "long/BPGrad", "long/Adam"])
    }

    /// A log axis in a figure follows the dashboard's rule: at most `AxisTicks.logDecades`
    /// below the top of the visible data, values below drawn on the bottom edge, and a note.
    func testLogAxisClipsASeriesThatCollapsesTowardsZero() throws {
        let falling = FigureSeries(label: "BPGrad", color: FigureColors.configuration(0), points: (0...40).map { (Double($0), pow(10, -Double($0) / 8)) })
        let collapsing = FigureSeries(label: "Adam", color: FigureColors.configuration(1), points: (0...40).map { (Double($0), pow(10, -Double($0) * 170 / 40)) })
        var panel = FigurePanel(title: "loss", xLabel: "step", yLabel: "loss", series: [falling, collapsing], logY: true)
        let frame = FigureRect(x: 0, y: 0, width: 560, height: 340)
        var a = PanelPainter(panel: panel, frame: frame).axes(plotWidth: 480, plotHeight: 250)
        XCTAssertLessThanOrEqual(a.y1 - a.y0, 10, "at most ten decades: \(a.y0)...\(a.y1)")
        XCTAssertGreaterThanOrEqual(a.y1 - a.y0, 5, "BPGrad's five decades are shown: \(a.y0)...\(a.y1)")
        XCTAssertNotNil(a.clippedBelow)
        // Zoomed to where Adam has not collapsed yet: only what is visible counts.
        panel.xRange = 0...1
        a = PanelPainter(panel: panel, frame: frame).axes(plotWidth: 480, plotHeight: 250)
        XCTAssertNil(a.clippedBelow)
        XCTAssertLessThan(a.y1 - a.y0, 6, "Adam's 4.25 decades at step 1, padded")
        panel.xRange = nil
        let path = root + "/clipped.svg"
        try Figure(panels: [panel]).write(to: path)
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertFalse(svg.contains("nan"), "no NaN coordinate")
        try Figure(panels: [panel]).write(to: root + "/clipped.png")
    }
}
