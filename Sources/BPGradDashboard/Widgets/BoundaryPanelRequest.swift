import BPGradEngine

/// The evaluation grid the executable asks the configurations for, sized like a boundary panel.
public enum BoundaryPanelRequest {
    public static func make(area: Rect, plane: DashboardInfo.Plane) -> DecisionBoundary.Request {
        BoundaryPanel.request(for: area, plane: plane)
    }
}
