/// A rectangle in points, for laying out figures.
struct FigureRect {
    var x: Double, y: Double, width: Double, height: Double
    var maxX: Double { x + width }
    var maxY: Double { y + height }
}
