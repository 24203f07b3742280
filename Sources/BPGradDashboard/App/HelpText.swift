/// Every key the dashboard understands, as the help overlay and the README list them.
public enum HelpText {
    public static let keys: [(key: String, action: String)] = [
        ("q, Ctrl-C", "quit (the run directory is flushed)"),
        ("space", "pause / resume every solver"),
        ("n", "one step while paused"),
        ("r", "restart from the same seed"),
        ("p", "preset picker (Enter loads and restarts)"),
        ("↑ ↓", "select a hyperparameter"),
        ("← →", "change it (×1.25 for L, lr, eps; ±0.05 for mu, rho, betas)"),
        ("Enter", "type an exact value (Esc cancels)"),
        ("l", "log-scale y axes (log10)"),
        ("s", "smoothing: off, 0.6, 0.9, 0.99 (debiased EMA)"),
        ("x", "x axis: step, epoch, wall time"),
        ("z", "zoom: whole run, last 1000, last 100 steps"),
        ("f", "freeze the display (training goes on)"),
        ("g", "fourth chart: test accuracy or gradient norm"),
        ("b", "decision boundaries per solver (2-D data)"),
        ("e", "export the screen as text"),
        ("?", "this help"),
    ]

    public static let footer = "q quit  space pause  n step  r restart  p presets  ↑↓ select  ←→ change  ⏎ edit  l log  s smooth  x axis  z zoom  f freeze  g acc/‖g‖  b boundary  e export  ? help"
}
