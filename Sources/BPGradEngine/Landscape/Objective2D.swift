/// A function of two variables on a rectangle, with its gradient: what branch and pruning searches.
public protocol Objective2D: Sendable {
    var domain: TestFunction.Domain { get }
    func value(_ x: Double, _ y: Double) -> Double
    func gradient(_ x: Float, _ y: Float) -> (Float, Float)
}
