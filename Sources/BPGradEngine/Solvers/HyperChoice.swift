/// A closed set of named options for a hyperparameter (BPGrad's `eta_placement`, ...).
public protocol HyperChoice: RawRepresentable<String>, CaseIterable, Sendable, Equatable {}
