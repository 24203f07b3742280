/// A sweep's grid: `key=v1,v2,...` per hyperparameter (repeatable), every combination a
/// configuration. `lipschitz=2,5,10` and `momentum=0.5,0.9` give six, in the order the
/// values were given, the last key varying fastest.
public struct SweepGrid: Sendable, Equatable {
    public struct Axis: Sendable, Equatable {
        public var key: String
        public var values: [String]
    }

    public var axes: [Axis]

    /// The most combinations one sweep runs (a few at a time; each writes its own CSV).
    public static let limit = 200

    /// Parses each `--grid` (or `--sweep`) argument, and refuses a grid of more than `limit`
    /// combinations before any is built (three axes of 2,000 values are 8e9 of them).
    public init(_ arguments: [String], field: String = "--grid", limit: Int = SweepGrid.limit) throws(EngineError) {
        var axes = [Axis]()
        for arg in arguments {
            guard let eq = arg.firstIndex(of: "="), eq != arg.startIndex else {
                throw .invalidValue(field: "\(field) \(arg)", message: "expected key=value,value,... for example lipschitz=2,5,10")
            }
            let key = String(arg[..<eq]).trimmingCharacters(in: .whitespaces)
            let values = arg[arg.index(after: eq)...].split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard !values.isEmpty, !values.contains(where: \.isEmpty) else {
                throw .invalidValue(field: "\(field) \(arg)", message: "a value is empty; expected key=value,value,... for example lipschitz=2,5,10")
            }
            guard !axes.contains(where: { $0.key == key }) else {
                throw .invalidValue(field: "\(field) \(arg)", message: "'\(key)' is swept twice; give all its values in one \(field)")
            }
            axes.append(Axis(key: key, values: values))
        }
        self.axes = axes
        guard count <= limit else {
            let sizes = axes.map { String($0.values.count) }.joined(separator: " × ")
            let total = count == .max ? "more than 9.2e18" : String(count)
            throw .invalidValue(field: field, message: "\(sizes) = \(total) combinations; at most \(limit) run at once")
        }
    }

    /// How many combinations the grid has (0 when it has no axis; Int.max when they overflow).
    public var count: Int {
        guard !axes.isEmpty else { return 0 }
        var n = 1
        for axis in axes {
            let (product, overflow) = n.multipliedReportingOverflow(by: axis.values.count)
            if overflow { return .max }
            n = product
        }
        return n
    }

    /// Every combination as overrides on top of `base` (which keeps its own overrides), labelled
    /// by the swept values. Nil when the grid's keys are not all `base`'s solver's.
    public func expand(_ base: ConfigurationSpec) -> [ConfigurationSpec]? {
        guard let d = SolverRegistry.descriptor(SolverKind(base.solver.lowercased())),
              axes.allSatisfy({ d.schema.key(named: $0.key) != nil }) else { return nil }
        var combos: [[ConfigurationSpec.Override]] = [[]]
        for axis in axes {
            combos = combos.flatMap { c in axis.values.map { c + [.init(key: axis.key, value: $0)] } }
        }
        return combos.map { extra in
            var spec = base
            spec.overrides = base.overrides.filter { o in !extra.contains { $0.key == o.key } } + extra
            if let label = base.label {
                spec.label = label + " " + extra.map { o in "\(d.schema.key(named: o.key).flatMap { try? d.schema.info($0).symbol } ?? o.key)=\(o.value)" }.joined(separator: " ")
            }
            return spec
        }
    }
}
