import BPGradEngine
import XCTest

/// The 2x2, stride 2 pooling has a loop of its own beside the general one; at every width it
/// must give what the documented rule gives: the largest of the window in row order, the
/// first on ties, a NaN only where it comes first, and the gradient to that element.
final class MaxPoolSemanticsTests: XCTestCase {
    func testTwoByTwoMatchesTheRuleAtEveryWidth() throws {
        var rng = SeededGenerator(seed: 12)
        // Few distinct values, so ties are common; NaN and both zeros among them.
        let palette: [Float] = [-1, -0.0, 0, 0.5, 0.5, 2, .nan, -3]
        for width in 2...41 {
            let height = 4, planes = 2, batch = 2
            let pool = try XCTUnwrap(MaxPool2D(input: Shape([planes, height, width]), size: 2, stride: 2))
            pool.reserve(batch: batch)
            let n = batch * planes * height * width
            let x = (0..<n).map { _ in palette[Int(rng.next() % UInt64(palette.count))] }
            let ow = width / 2, oh = height / 2, outputs = batch * planes * oh * ow
            var expected = [Float](), winners = [Int]()
            for p in 0..<(batch * planes) {
                for r in 0..<oh {
                    for c in 0..<ow {
                        let window = [(2 * r, 2 * c), (2 * r, 2 * c + 1), (2 * r + 1, 2 * c), (2 * r + 1, 2 * c + 1)]
                            .map { p * height * width + $0.0 * width + $0.1 }
                        var at = window[0]
                        for i in window.dropFirst() where x[i] > x[at] { at = i }
                        expected.append(x[at]); winners.append(at)
                    }
                }
            }
            let y = x.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: pool.forward($0.baseAddress!, batch: batch, training: true), count: outputs)) }
            XCTAssertEqual(y.map(\.bitPattern), expected.map(\.bitPattern), "width \(width)")
            let dy = (0..<outputs).map { Float($0 + 1) }
            let dx = dy.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: pool.backward($0.baseAddress!, batch: batch, needInputGradient: true), count: n)) }
            var expectedDx = [Float](repeating: 0, count: n)
            for (o, at) in winners.enumerated() { expectedDx[at] += dy[o] }
            XCTAssertEqual(dx, expectedDx, "width \(width)")
        }
    }
}
