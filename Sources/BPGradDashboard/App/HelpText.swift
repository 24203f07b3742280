/// Every key the dashboard understands, as the help overlay and the README list them.
public enum HelpText {
    public static let keys: [(key: String, action: String)] = [
        ("q, Ctrl-C", "quit; the run is flushed"),
        ("space", "pause / resume all"),
        ("n", "one step while paused"),
        ("+ -", "speed: full, 1000, 100, 10, 1 steps/s"),
        ("t", "stop at the preset's length, or go on"),
        ("a", "pause after each evaluation"),
        ("r", "restart, in a new run directory"),
        ("p", "presets (Enter loads one)"),
        ("↑ ↓", "select a hyperparameter"),
        ("← →", "change it: ×1.25 or ±0.05"),
        ("Enter", "type a value (Esc cancels)"),
        ("F", "fork the selected configuration"),
        ("1-9, 0", "hide / show one; 0 shows all"),
        ("c , . < >", "cursor; move it 1% or 10%"),
        ("l", "log-scale y axes (8 decades below the top; lower on the edge)"),
        ("s", "smoothing: off, 0.6, 0.9, 0.99"),
        ("x", "x axis: step, epoch, time"),
        ("z", "zoom: all, last 1000, last 100"),
        ("f", "freeze the display"),
        ("g", "4th chart: accuracy or ‖g‖"),
        ("b", "decision boundaries (2-D data)"),
        ("e", "export text and SVG"),
        ("?", "this help"),
    ]

    public static let viewFooter = "q quit  l log  s smooth  x axis  z zoom  g acc/‖g‖  1-9 hide  c cursor  e export  ? help  (nothing to steer)"
    public static let watchFooter = "q quit  space pause  ↑↓ select  ←→ change  ⏎ edit  (sent through commands.jsonl)  1-9 hide  c cursor  ? help"

    public static let footer = "q quit  space pause  +- speed  ↑↓ select  ←→ change  ⏎ edit  F fork  1-9 hide  c cursor  r restart  p presets  ? help"
}
