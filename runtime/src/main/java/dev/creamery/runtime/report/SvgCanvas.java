package dev.creamery.runtime.report;

import java.awt.Color;
import java.util.Locale;

/** Draws into an SVG document (self-contained: no script, no external font or style). */
final class SvgCanvas implements Canvas {
    private final StringBuilder svg = new StringBuilder();

    SvgCanvas(int width, int height) {
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", width, height));
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Color color, double width) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>\n",
                x1, y1, x2, y2, rgb(color), width, opacity("stroke", color)));
    }

    @Override
    public void polyline(double[] xs, double[] ys, Color color, double width) {
        svg.append("<polyline fill=\"none\" stroke=\"").append(rgb(color)).append('"')
                .append(String.format(Locale.ROOT, " stroke-width=\"%.1f\" stroke-linejoin=\"round\"", width)).append(opacity("stroke", color))
                .append(" points=\"");
        for (int i = 0; i < xs.length; i++) {
            svg.append(String.format(Locale.ROOT, i == 0 ? "%.1f,%.1f" : " %.1f,%.1f", xs[i], ys[i]));
        }
        svg.append("\"/>\n");
    }

    @Override
    public void dot(double x, double y, double radius, Color color, String tooltip) {
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"%s>", x, y, radius, rgb(color),
                opacity("fill", color)));
        if (tooltip != null && !tooltip.isEmpty()) {
            svg.append("<title>").append(escape(tooltip)).append("</title>");
        }
        svg.append("</circle>\n");
    }

    @Override
    public void rect(double x, double y, double width, double height, Color stroke, Color fill) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"%s\"/>\n", x, y,
                width, height, fill == null ? "none" : rgb(fill), stroke == null ? "none" : rgb(stroke)));
    }

    @Override
    public void text(double x, double y, String text, double size, Anchor anchor, boolean bold, Color color) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"%s\" fill=\"%s\"%s>", x, y, size,
                switch (anchor) {
                    case START -> "start";
                    case MIDDLE -> "middle";
                    case END -> "end";
                }, rgb(color), bold ? " font-weight=\"bold\"" : ""));
        svg.append(escape(text)).append("</text>\n");
    }

    /** @return the document */
    @Override
    public String toString() {
        return svg + "</svg>\n";
    }

    private static String rgb(Color color) {
        return String.format("#%02x%02x%02x", color.getRed(), color.getGreen(), color.getBlue());
    }

    private static String opacity(String what, Color color) {
        return color.getAlpha() == 255 ? "" : String.format(Locale.ROOT, " %s-opacity=\"%.2f\"", what, color.getAlpha() / 255.0);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> out.append(c < 0x20 && c != '\t' && c != '\n' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
