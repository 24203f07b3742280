import CCairo

/// Colour and text helpers over a cairo context, shared by the renderer and its panels.
enum Pen {
    enum Align { case left, center, right }

    static func color(_ cr: OpaquePointer, _ c: RGB, alpha: Double = 1) {
        cairo_set_source_rgba(cr, c.red, c.green, c.blue, alpha)
    }

    static func font(_ cr: OpaquePointer, size: Double, bold: Bool = false) {
        cairo_select_font_face(cr, CairoRenderer.font, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
    }

    static func textWidth(_ cr: OpaquePointer, _ s: String, size: Double, bold: Bool = false) -> Double {
        font(cr, size: size, bold: bold)
        var e = cairo_text_extents_t()
        cairo_text_extents(cr, s, &e)
        return e.x_advance
    }

    /// Draws text with its baseline at y.
    static func text(_ cr: OpaquePointer, _ s: String, x: Double, y: Double, size: Double, bold: Bool = false,
                     color c: RGB = CairoRenderer.ink, align: Align = .left) {
        let w = textWidth(cr, s, size: size, bold: bold)
        let left = align == .left ? x : align == .center ? x - w / 2 : x - w
        color(cr, c)
        cairo_move_to(cr, left, y)
        cairo_show_text(cr, s)
        cairo_new_path(cr)
    }
}
