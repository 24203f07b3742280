import BPGradDashboard
import CCairo
import Foundation

/// Draws a `Figure` with cairo and encodes it as PNG, SVG or PDF.
///
/// Each panel is laid out first (title, legend rows, tick labels, then the plot rectangle
/// that is left) and then painted: grid, markers, faint series, series, axes, labels. Every
/// series is one cairo path, so an SVG holds one `<path>` per series.
struct CairoRenderer {
    let figure: Figure

    static let font = "DejaVu Sans"
    static let ink = RGB(34, 34, 34)
    static let axisInk = RGB(80, 80, 80)
    static let grid = RGB(232, 232, 232)

    /// Collects what cairo writes through a stream callback.
    private final class ByteSink { var bytes: [UInt8] = [] }

    private static let collect: cairo_write_func_t = { closure, data, length in
        guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
        return CAIRO_STATUS_SUCCESS
    }

    func encode(_ format: FigureFormat) throws(FigureError) -> [UInt8] {
        let (width, height) = figure.size
        let sink = ByteSink()
        let context = Unmanaged.passUnretained(sink).toOpaque()
        let surface: OpaquePointer?
        switch format {
        case .png:
            surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32((width * figure.pngScale).rounded(.up)),
                                                 Int32((height * figure.pngScale).rounded(.up)))
        case .svg:
            surface = cairo_svg_surface_create_for_stream(Self.collect, context, width, height)
        case .pdf:
            surface = cairo_pdf_surface_create_for_stream(Self.collect, context, width, height)
            if let surface, let title = figure.title {
                cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
                cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "bpgrad-tui")
            }
        }
        guard let surface else { throw .cairo(message: "no surface") }
        defer { cairo_surface_destroy(surface) }
        try Self.check(cairo_surface_status(surface))
        guard let cr = cairo_create(surface) else { throw .cairo(message: "no drawing context") }
        if format == .png { cairo_scale(cr, figure.pngScale, figure.pngScale) }
        draw(cr, width: width, height: height)
        let drawn = cairo_status(cr)
        cairo_destroy(cr)
        try Self.check(drawn)
        if format == .png {
            cairo_surface_flush(surface)
            try Self.check(cairo_surface_write_to_png_stream(surface, Self.collect, context))
        } else {
            cairo_surface_finish(surface)
            try Self.check(cairo_surface_status(surface))
        }
        return withExtendedLifetime(sink) { sink.bytes }
    }

    private static func check(_ status: cairo_status_t) throws(FigureError) {
        guard status == CAIRO_STATUS_SUCCESS else { throw .cairo(message: String(cString: cairo_status_to_string(status))) }
    }

    // MARK: drawing

    private func draw(_ cr: OpaquePointer, width: Double, height: Double) {
        Pen.color(cr, .white)
        cairo_rectangle(cr, 0, 0, width, height)
        cairo_fill(cr)
        var top = 0.0
        if let title = figure.title {
            Pen.text(cr, title, x: width / 2, y: 18, size: 14, bold: true, align: .center)
            top = Figure.titleHeight
        }
        for (i, panel) in figure.panels.enumerated() {
            let column = i % figure.columns, row = i / figure.columns
            let frame = FigureRect(x: Double(column) * figure.panelWidth, y: top + Double(row) * figure.panelHeight,
                             width: figure.panelWidth, height: figure.panelHeight)
            PanelPainter(panel: panel, frame: frame).paint(cr)
        }
    }
}
