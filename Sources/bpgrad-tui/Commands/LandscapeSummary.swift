import BPGradEngine
import Foundation

/// The end-of-run table: where each solver got, and when it reached the global minimum's basin.
struct LandscapeSummary {
    let run: LandscapeRun

    /// The first step whose point is within `radius` of a global minimiser.
    static func basinStep(_ t: LandscapeRun.Track, _ f: TestFunction, radius: Double) -> Int? {
        t.records.first { f.distanceToMinimum(SIMD2($0.x, $0.y)) < radius }?.step
    }

    var text: String {
        let f = run.function
        let basin = 0.1 * min(f.domain.x.upperBound - f.domain.x.lowerBound, f.domain.y.upperBound - f.domain.y.lowerBound) / 2
        var lines = ["function \(f.rawValue), start \(run.start.x),\(run.start.y); basin = within \(NumberText.short(basin)) of a global minimum",
                     "solver      steps  best f      final f     distance    reached basin  note"]
        for t in run.tracks {
            let last = t.records.last
            let dist = f.distanceToMinimum(t.position)
            let reached = Self.basinStep(t, f, radius: basin).map { "step \($0)" } ?? "no"
            var note = ""
            if let bp = t.branchAndPrune {
                note = "pruned \(NumberText.percent(bp.prunedFraction))" + (bp.finishedAt.map { ", no unpruned point left at step \($0)" } ?? "")
            } else if let d = t.diverged { note = "diverged at step \(d)" }
            lines.append([t.displayName.padding(toLength: 10, withPad: " ", startingAt: 0),
                          String(t.steps).padding(toLength: 5, withPad: " ", startingAt: 0),
                          NumberText.short(t.bestValue).padding(toLength: 10, withPad: " ", startingAt: 0),
                          (last.map { NumberText.short($0.f) } ?? "-").padding(toLength: 10, withPad: " ", startingAt: 0),
                          NumberText.short(dist).padding(toLength: 10, withPad: " ", startingAt: 0),
                          reached.padding(toLength: 13, withPad: " ", startingAt: 0), note].joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }
}
