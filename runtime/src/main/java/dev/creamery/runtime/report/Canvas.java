package dev.creamery.runtime.report;

import java.awt.Color;

/**
 * What a {@link Chart} draws with: the few marks a chart needs, in pixels from the top left. One
 * chart drawn on an {@link SvgCanvas} (the dashboard, the run folder's SVGs) or an
 * {@link ImageCanvas} ({@code report.png}) gives the same picture.
 */
interface Canvas {
    /** Where a text's anchor point lies along it. */
    enum Anchor {
        START,
        MIDDLE,
        END
    }

    void line(double x1, double y1, double x2, double y2, Color color, double width);

    /** Connected segments through the points. */
    void polyline(double[] xs, double[] ys, Color color, double width);

    /**
     * @param tooltip what a reader sees on pointing at it (the SVG's {@code <title>}; ignored in a picture)
     */
    void dot(double x, double y, double radius, Color color, String tooltip);

    void rect(double x, double y, double width, double height, Color stroke, Color fill);

    /** @param y the baseline */
    void text(double x, double y, String text, double size, Anchor anchor, boolean bold, Color color);
}
