/// What every widget is: a value that draws itself into an area of a grid, and nowhere else.
/// State that must outlive a frame (selection, scroll, zoom) lives in the app's state, not here.
public protocol Widget {
    func render(into grid: inout Grid, area: Rect)
}

extension LineChart: Widget {}
extension Table: Widget {}
extension SelectableList: Widget {}
extension HelpOverlay: Widget {}
extension PickerOverlay: Widget {}
extension Heatmap: Widget {}
