import Foundation

/// One CSV row per training step, in the column order every tool here shares.
public struct StepRow: Sendable {
    public var step: Int
    public var epoch: Int
    public var solver: String
    public var loss: Double
    public var testLoss: Double?
    public var testAccuracy: Double?
    public var telemetry: SolverTelemetry
    /// BPGrad's L, mu and rho in force at this step (nil for other solvers).
    public var lipschitz: Double?, momentum: Double?, rho: Double?
    public var wallMilliseconds: Double

    public static let header = "step,epoch,solver,loss,test_loss,test_accuracy,lr,eta,radius,f_star,grad_norm,step_norm,lipschitz,momentum,rho,lipschitz_estimate,wall_ms"

    public init(step: Int, epoch: Int, solver: String, loss: Double, testLoss: Double? = nil, testAccuracy: Double? = nil,
                telemetry: SolverTelemetry, lipschitz: Double? = nil, momentum: Double? = nil, rho: Double? = nil,
                wallMilliseconds: Double) {
        self.step = step; self.epoch = epoch; self.solver = solver; self.loss = loss
        self.testLoss = testLoss; self.testAccuracy = testAccuracy; self.telemetry = telemetry
        self.lipschitz = lipschitz; self.momentum = momentum; self.rho = rho; self.wallMilliseconds = wallMilliseconds
    }

    public init(result: Trainer.StepResult, solver: any Solver, test: (loss: Double, accuracy: Double?)?, wallMilliseconds: Double) {
        step = result.step
        epoch = result.epoch
        self.solver = solver.kind
        loss = result.telemetry.lossUsed ?? result.loss
        testLoss = test?.loss
        testAccuracy = test?.accuracy
        telemetry = result.telemetry
        if solver is BPGrad {
            lipschitz = solver.hyper.number("lipschitz")
            momentum = solver.hyper.number("momentum")
            rho = solver.hyper.number("rho")
        }
        self.wallMilliseconds = wallMilliseconds
    }

    public var csv: String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.9g", $0) } ?? "" }
        let t = telemetry
        return [String(step), String(epoch), solver, f(loss), f(testLoss), f(testAccuracy), f(t.lr), f(t.eta), f(t.radius),
                f(t.fStar), f(t.gradNorm), f(t.stepNorm), f(lipschitz), f(momentum), f(rho), f(t.lipschitzEstimate),
                String(format: "%.3f", wallMilliseconds)].joined(separator: ",")
    }
}
