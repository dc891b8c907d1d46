package dev.creamery.runtime.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * One plot: a title, two linear axes and series of points drawn as dots, lines or steps. It is
 * the only place plots are laid out: the dashboard's SVGs, the run folder's SVGs and
 * {@code report.png} all draw a chart through {@link #draw}.
 */
public final class Chart {
    /** How a series is drawn. */
    public enum Mark {
        /** A dot per point, with the point's label as its tooltip. */
        DOTS,
        /** A line through the points. */
        LINE,
        /** A staircase through the points (a value that holds until the next point), e.g. the best so far. */
        STEPS
    }

    /** @param label the point's tooltip (dots only; may be empty) */
    public record Point(double x, double y, String label) {}

    /** @param radius the dots' radius in pixels, or the line's width */
    public record Series(String name, Color color, Mark mark, double radius, List<Point> points) {}

    /**
     * @param format a tick's text
     * @param whole whether only whole numbers mean something on it (epochs, counts, ranks)
     */
    public record Axis(String label, DoubleFunction<String> format, boolean whole) {
        /** An axis of any numbers. */
        public static Axis numbers(String label) {
            return new Axis(label, Chart::number, false);
        }

        /** An axis of whole numbers: its ticks are too. */
        public static Axis counts(String label) {
            return new Axis(label, Chart::number, true);
        }
    }

    /** The colours of several series of one kind (e.g. one per training), in turn. */
    public static final List<Color> PALETTE = List.of(new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127));

    private static final Color INK = new Color(30, 30, 30);
    private static final Color GRID = new Color(232, 232, 232);
    private static final Color MUTED = new Color(110, 110, 110);
    private static final double LEFT = 64;
    private static final double RIGHT = 16;
    private static final double TOP = 74;
    /** The width of a character of the legend's text, estimated so that both canvases lay it out alike. */
    private static final double CHARACTER = 6.6;
    private static final double BOTTOM = 44;

    private final String title;
    private final String caption;
    private final Axis x;
    private final Axis y;
    private final List<Series> series;

    /**
     * @param caption a line under the title (a count, a correlation; may be empty)
     */
    public Chart(String title, String caption, Axis x, Axis y, List<Series> series) {
        this.title = title;
        this.caption = caption;
        this.x = x;
        this.y = y;
        this.series = List.copyOf(series);
    }

    /** @return the chart as a self-contained SVG document */
    public String svg(int width, int height) {
        SvgCanvas canvas = new SvgCanvas(width, height);
        draw(canvas, 0, 0, width, height);
        return canvas.toString();
    }

    /** Draws the chart into a box of the canvas. */
    void draw(Canvas canvas, double left, double top, double width, double height) {
        canvas.text(left + 12, top + 20, title, 14, Canvas.Anchor.START, true, INK);
        if (!caption.isEmpty()) {
            canvas.text(left + 12, top + 37, caption, 11, Canvas.Anchor.START, false, MUTED);
        }
        double plotLeft = left + LEFT;
        double plotTop = top + TOP;
        double plotWidth = width - LEFT - RIGHT;
        double plotHeight = height - TOP - BOTTOM;
        List<Point> all = series.stream().flatMap(s -> s.points().stream())
                .filter(p -> Double.isFinite(p.x()) && Double.isFinite(p.y())).toList();
        canvas.rect(plotLeft, plotTop, plotWidth, plotHeight, GRID, null);
        canvas.text(plotLeft + plotWidth / 2, top + height - 8, x.label(), 12, Canvas.Anchor.MIDDLE, false, INK);
        canvas.text(plotLeft, plotTop - 6, y.label(), 11, Canvas.Anchor.START, false, MUTED);
        legend(canvas, left + 12, top + 55);
        if (all.isEmpty()) {
            canvas.text(plotLeft + plotWidth / 2, plotTop + plotHeight / 2, "no data yet", 12, Canvas.Anchor.MIDDLE, false, MUTED);
            return;
        }
        Range xr = Range.of(all.stream().mapToDouble(Point::x).min().orElseThrow(), all.stream().mapToDouble(Point::x).max().orElseThrow());
        Range yr = Range.of(all.stream().mapToDouble(Point::y).min().orElseThrow(), all.stream().mapToDouble(Point::y).max().orElseThrow());
        for (double tick : xr.ticks(6, x.whole())) {
            double px = plotLeft + xr.fraction(tick) * plotWidth;
            canvas.line(px, plotTop, px, plotTop + plotHeight, GRID, 1);
            canvas.text(px, plotTop + plotHeight + 15, x.format().apply(tick), 10, Canvas.Anchor.MIDDLE, false, INK);
        }
        for (double tick : yr.ticks(5, y.whole())) {
            double py = plotTop + plotHeight - yr.fraction(tick) * plotHeight;
            canvas.line(plotLeft, py, plotLeft + plotWidth, py, GRID, 1);
            canvas.text(plotLeft - 5, py + 4, y.format().apply(tick), 10, Canvas.Anchor.END, false, INK);
        }
        for (Series s : series) {
            List<Point> points = s.points().stream().filter(p -> Double.isFinite(p.x()) && Double.isFinite(p.y())).toList();
            double[] xs = points.stream().mapToDouble(p -> plotLeft + xr.fraction(p.x()) * plotWidth).toArray();
            double[] ys = points.stream().mapToDouble(p -> plotTop + plotHeight - yr.fraction(p.y()) * plotHeight).toArray();
            switch (s.mark()) {
                case DOTS -> {
                    for (int i = 0; i < xs.length; i++) {
                        canvas.dot(xs[i], ys[i], s.radius(), s.color(), points.get(i).label());
                    }
                }
                case LINE -> canvas.polyline(xs, ys, s.color(), s.radius());
                case STEPS -> {
                    double[][] steps = steps(xs, ys);
                    canvas.polyline(steps[0], steps[1], s.color(), s.radius());
                }
            }
        }
    }

    /** The named series, in a row under the caption. */
    private void legend(Canvas canvas, double left, double baseline) {
        double x = left;
        for (Series s : series) {
            if (s.name().isEmpty()) {
                continue;
            }
            canvas.dot(x + 4, baseline - 4, 4, opaque(s.color()), "");
            canvas.text(x + 12, baseline, s.name(), 11, Canvas.Anchor.START, false, INK);
            x += 12 + s.name().length() * CHARACTER + 14;
        }
    }

    private static Color opaque(Color color) {
        return new Color(color.getRed(), color.getGreen(), color.getBlue());
    }

    private static double[][] steps(double[] xs, double[] ys) {
        if (xs.length == 0) {
            return new double[][] {xs, ys};
        }
        double[] sx = new double[2 * xs.length - 1];
        double[] sy = new double[2 * xs.length - 1];
        sx[0] = xs[0];
        sy[0] = ys[0];
        for (int i = 1; i < xs.length; i++) {
            sx[2 * i - 1] = xs[i];
            sy[2 * i - 1] = ys[i - 1];
            sx[2 * i] = xs[i];
            sy[2 * i] = ys[i];
        }
        return new double[][] {sx, sy};
    }

    /** @return a tick's text: as few decimals as its size needs */
    static String number(double value) {
        double magnitude = Math.abs(value);
        if (magnitude == 0) {
            return "0";
        }
        if (magnitude >= 1e4 || magnitude < 1e-3) {
            return String.format(Locale.ROOT, "%.2g", value);
        }
        String text = String.format(Locale.ROOT, magnitude >= 100 ? "%.0f" : magnitude >= 1 ? "%.2f" : "%.3f", value);
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }

    /** A padded data range and its round ticks. */
    private record Range(double min, double max) {
        static Range of(double low, double high) {
            double span = high - low;
            double pad = span > 0 ? span * 0.05 : Math.max(Math.abs(low) * 0.05, 0.5);
            return new Range(low - pad, high + pad);
        }

        double fraction(double value) {
            return (value - min) / (max - min);
        }

        /** Multiples of 1, 2 or 5 times a power of ten, about {@code count} of them. */
        List<Double> ticks(int count, boolean whole) {
            double raw = (max - min) / count;
            if (whole && raw < 1) {
                raw = 1;
            }
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double normal = raw / magnitude;
            double step = (normal < 1.5 ? 1 : normal < 3 ? 2 : normal < 7 ? 5 : 10) * magnitude;
            if (whole) {
                step = Math.max(1, Math.round(step));
            }
            List<Double> ticks = new ArrayList<>();
            for (double tick = Math.ceil(min / step) * step; tick <= max; tick += step) {
                // Rounded to the step so that 0.30000000000000004 prints as 0.3.
                ticks.add(Math.round(tick / step) * step);
            }
            return ticks;
        }
    }
}
