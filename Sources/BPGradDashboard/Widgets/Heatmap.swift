import BPGradEngine
import Foundation

/// A function over a rectangle drawn with half blocks: two vertical pixels per cell, the
/// upper as the foreground of "▀" and the lower as its background. Colour follows a
/// perceptual ramp on log10(1 + f); pixels inside a pruned region are drawn in grey.
public struct Heatmap: Sendable {
    public var function: any Objective2D
    /// Returns true for points that branch and pruning has excluded.
    public var isPruned: @Sendable (SIMD2<Double>) -> Bool

    public init(function: any Objective2D, isPruned: @escaping @Sendable (SIMD2<Double>) -> Bool = { _ in false }) {
        self.function = function
        self.isPruned = isPruned
    }

    /// A viridis-like walk through the xterm-256 colour cube, dark blue to yellow.
    static let ramp: [UInt8] = [17, 18, 19, 20, 25, 26, 31, 32, 37, 38, 43, 79, 78, 114, 113, 149, 148, 184, 185, 220, 221, 227, 228, 229]
    static let greys: [UInt8] = Array(233...246)

    /// The plane point at the centre of pixel (px, py) of a `pixels` sized image of the domain.
    public static func point(_ px: Int, _ py: Int, width: Int, height: Int, domain d: TestFunction.Domain) -> SIMD2<Double> {
        SIMD2(d.x.lowerBound + (Double(px) + 0.5) / Double(width) * (d.x.upperBound - d.x.lowerBound),
              d.y.upperBound - (Double(py) + 0.5) / Double(height) * (d.y.upperBound - d.y.lowerBound))
    }

    /// log10(1 + f) at every pixel of a `width` x `height` image of the domain, and its maximum.
    func samples(width w: Int, height h: Int) -> (values: [Double], top: Double) {
        let d = function.domain
        var values = [Double](repeating: 0, count: w * h), top = 0.0
        for py in 0..<h {
            for px in 0..<w {
                let p = Self.point(px, py, width: w, height: h, domain: d)
                let v = log10(1 + max(0, function.value(p.x, p.y)))
                values[py * w + px] = v.isFinite ? v : 0
                top = max(top, values[py * w + px])
            }
        }
        return (values, top)
    }

    /// The largest f the colours reach over an `area` drawn by this heatmap (for its key).
    public func maximum(area: Rect) -> Double {
        pow(10, samples(width: max(1, area.width), height: max(1, area.height * 2)).top) - 1
    }

    /// The ramp's colour for a fraction `t` of the way from f = 0 to the maximum, on the log scale.
    public static func rampColor(_ t: Double, pruned: Bool = false) -> Color {
        let palette = pruned ? greys : ramp
        return .indexed(palette[min(palette.count - 1, max(0, Int(t * Double(palette.count - 1) + 0.5)))])
    }

    public func render(into grid: inout Grid, area: Rect) { draw(into: &grid, area: area) }

    /// Draws as `render` does and returns `maximum(area:)` from the same samples, so a view
    /// with a colour key evaluates the function once per frame, not twice.
    @discardableResult
    public func draw(into grid: inout Grid, area: Rect) -> Double {
        guard !area.isEmpty else { return maximum(area: area) }
        let w = area.width, h = area.height * 2, d = function.domain
        let (values, top) = samples(width: w, height: h)
        var pruned = [Bool](repeating: false, count: w * h)
        for py in 0..<h { for px in 0..<w { pruned[py * w + px] = isPruned(Self.point(px, py, width: w, height: h, domain: d)) } }
        func color(_ i: Int) -> Color { Self.rampColor(top > 0 ? values[i] / top : 0, pruned: pruned[i]) }
        for row in 0..<area.height {
            for col in 0..<w {
                grid.set(area.x + col, area.y + row, "▀", Style(fg: color(2 * row * w + col), bg: color((2 * row + 1) * w + col)))
            }
        }
        return pow(10, top) - 1
    }

    /// The cell of `area` nearest to plane point `p`, clamped to the area's edge.
    public static func clampedCell(of p: SIMD2<Double>, area: Rect, domain d: TestFunction.Domain) -> (x: Int, y: Int) {
        let q = SIMD2(min(max(p.x, d.x.lowerBound), d.x.upperBound), min(max(p.y, d.y.lowerBound), d.y.upperBound))
        return cell(of: q.x.isFinite && q.y.isFinite ? q : SIMD2(d.x.lowerBound, d.y.lowerBound), area: area, domain: d) ?? (area.x, area.y)
    }

    /// The cell of `area` that shows plane point `p`, or nil outside the domain.
    public static func cell(of p: SIMD2<Double>, area: Rect, domain d: TestFunction.Domain) -> (x: Int, y: Int)? {
        guard d.contains(p), !area.isEmpty else { return nil }
        let fx = (p.x - d.x.lowerBound) / (d.x.upperBound - d.x.lowerBound)
        let fy = (d.y.upperBound - p.y) / (d.y.upperBound - d.y.lowerBound)
        return (area.x + min(area.width - 1, Int(fx * Double(area.width))), area.y + min(area.height - 1, Int(fy * Double(area.height))))
    }
}
