import Foundation

/// Where a training step's time goes, summed over the steps timed (`bench` prints it beside
/// the GEMM-only floor): the minibatch gather, the forward pass, the loss, the backward pass
/// and the solver's update, and how much of the two passes was matrix products.
public struct StepPhases: Sendable {
    public enum Phase: Int, CaseIterable, Sendable {
        case gather, forward, loss, backward, solver

        public var name: String {
            switch self {
            case .gather: "gather"
            case .forward: "forward"
            case .loss: "loss"
            case .backward: "backward"
            case .solver: "solver"
            }
        }
    }

    public private(set) var nanoseconds = [UInt64](repeating: 0, count: Phase.allCases.count)
    /// Of forward and backward, the time inside GEMM calls.
    public private(set) var gemmNanoseconds: UInt64 = 0
    public private(set) var steps = 0

    public init() {}

    public subscript(phase: Phase) -> UInt64 { nanoseconds[phase.rawValue] }

    /// Microseconds per step spent in `phase`.
    public func microseconds(_ phase: Phase) -> Double { perStep(self[phase]) }
    public var gemmMicroseconds: Double { perStep(gemmNanoseconds) }

    private func perStep(_ ns: UInt64) -> Double { steps == 0 ? 0 : Double(ns) / Double(steps) / 1000 }

    mutating func add(_ phase: Phase, _ ns: UInt64) { nanoseconds[phase.rawValue] &+= ns }
    mutating func addGEMM(_ ns: UInt64) { gemmNanoseconds &+= ns }
    mutating func countStep() { steps += 1 }

    static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// The laps of one timed step: phase times from a monotonic clock, GEMM time from `GEMM`'s
    /// running total (zero unless `GEMM.timing` is on).
    struct Clock {
        private var last = StepPhases.now
        private let gemmStart = GEMM.timeSpent

        mutating func lap(_ phase: Phase, into phases: inout StepPhases?) {
            let t = StepPhases.now
            phases?.add(phase, t - last)
            last = t
        }

        func finish(into phases: inout StepPhases?) {
            phases?.addGEMM(GEMM.timeSpent &- gemmStart)
            phases?.countStep()
        }
    }
}
