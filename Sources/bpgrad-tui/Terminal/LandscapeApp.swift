import BPGradDashboard
import BPGradEngine
import Foundation

/// The landscape view's event loop: step the solvers, draw, read keys. Main thread only.
enum LandscapeApp {
    static func run(landscape: LandscapeRun, steps: Int, fps: Int, noColor: Bool) throws {
        let screen: NcursesScreen
        do { screen = try NcursesScreen(noColor: noColor) } catch {
            throw error.explained(view: "the landscape view", headless: "use --headless --log FILE.csv without one")
        }
        defer { screen.close() }
        var state = LandscapeState()
        FrameLoop.run(screen: screen, fps: fps, update: {
            guard !state.paused, state.cursor == nil else { return }
            for _ in 0..<state.stepsPerFrame where landscape.tracks.contains(where: { $0.finished == nil && $0.steps < steps }) {
                landscape.step()
            }
        }, draw: {
            let (w, h) = screen.size
            screen.draw(LandscapeView(model: model(landscape, steps: steps), state: state).render(width: w, height: h))
        }, key: { key in
            for effect in state.handle(key, model: model(landscape, steps: steps)) {
                switch effect {
                case .quit: return true
                case .step: if landscape.tracks.contains(where: { $0.steps < steps }) { landscape.step() }
                case .restart(let start): landscape.restart(start: start)
                case .nextFunction:
                    let all = TestFunction.allCases
                    landscape.restart(function: all[(all.firstIndex(of: landscape.function)! + 1) % all.count])
                case let .set(solver, key, value):
                    do { try landscape.set(solver: solver, key: key, value: value) } catch { state.message = "\(error)" }
                }
            }
            return false
        })
    }

    static func model(_ run: LandscapeRun, steps: Int) -> LandscapeModel {
        let f = run.function
        let tracks = run.tracks.map { t in
            LandscapeModel.Track(kind: t.kind, name: t.displayName, path: t.path, fNow: t.records.last?.f, best: t.bestValue,
                                 distance: f.distanceToMinimum(t.position), steps: t.steps, finished: t.finished,
                                 prunedFraction: t.branchAndPrune?.prunedFraction, hyper: t.hyper)
        }
        var pruned: @Sendable (SIMD2<Double>) -> Bool = { _ in false }
        if let grid = run.tracks.compactMap(\.branchAndPrune).first?.prunedGrid { pruned = { grid.contains($0) } }
        return LandscapeModel(functionName: f.rawValue, function: f, minima: f.minima, tracks: tracks, isPruned: pruned, stepLimit: steps)
    }
}
