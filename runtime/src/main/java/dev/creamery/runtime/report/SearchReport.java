package dev.creamery.runtime.report;

import dev.creamery.api.Complexity;
import dev.creamery.api.Metrics;
import dev.creamery.api.Objective;
import dev.creamery.api.Trial;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws a search's report as one PNG: the job's first objective (validation accuracy unless the job
 * names another) against parameters for every trial (the Pareto front and the best marked), and the
 * search's progress (each trial's value and the best so far, by trial number).
 */
public final class SearchReport {
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 500;
    private static final Color POINT = new Color(90, 110, 140, 150);
    private static final Color FRONT = new Color(230, 120, 20);
    private static final Color BEST = new Color(200, 20, 40);
    private static final Color LINE = new Color(30, 90, 200);

    private SearchReport() {}

    /**
     * @param file the PNG to write (atomically)
     * @param title the title line
     * @param trials every trial
     * @param front the Pareto front (accuracy against parameters)
     * @param best the best trial, or null
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, String title, List<Trial> trials, List<Trial> front, Trial best, Objective primary)
            throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 20, 26);
        List<Trial> ok = trials.stream().filter(t -> t.ok() && !Double.isNaN(value(t, primary))).toList();
        long failed = trials.stream().filter(t -> !t.ok()).count();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(ok.size() + " evaluated trials" + (failed > 0 ? ", " + failed + " failed" : ""), 20, 44);
        if (ok.isEmpty()) {
            g.drawString("no successful trials to plot", 20, 80);
        } else {
            double minAcc = ok.stream().mapToDouble(t -> value(t, primary)).min().orElse(0);
            double maxAcc = ok.stream().mapToDouble(t -> value(t, primary)).max().orElse(1);
            double pad = Math.max(0.005, (maxAcc - minAcc) * 0.08);
            Axis y = new Axis(minAcc - pad, maxAcc + pad);
            double minParams = ok.stream().mapToDouble(t -> t.complexity().params()).min().orElse(0);
            double maxParams = ok.stream().mapToDouble(t -> t.complexity().params()).max().orElse(1);
            double spread = Math.max(1, (maxParams - minParams) * 0.05);
            Panel left = new Panel(70, 70, 500, 370, new Axis(minParams - spread, maxParams + spread), y);
            left.frame(g, "parameters", label(primary), v -> Complexity.human(Math.round(v)), v -> format(v));
            for (Trial t : ok) {
                left.dot(g, t.complexity().params(), value(t, primary), POINT, 5);
            }
            g.setColor(FRONT);
            g.setStroke(new BasicStroke(2f));
            List<Trial> sorted = front.stream().sorted(java.util.Comparator.comparingLong(t -> t.complexity().params())).toList();
            for (int i = 1; i < sorted.size(); i++) {
                left.line(g, sorted.get(i - 1).complexity().params(), value(sorted.get(i - 1), primary), sorted.get(i).complexity().params(),
                        value(sorted.get(i), primary));
            }
            for (Trial t : sorted) {
                left.dot(g, t.complexity().params(), value(t, primary), FRONT, 7);
            }
            if (best != null) {
                left.dot(g, best.complexity().params(), value(best, primary), BEST, 11);
            }
            left.legend(g, new String[] {"trial", "Pareto front", "best"}, new Color[] {POINT, FRONT, BEST});

            int last = trials.stream().mapToInt(Trial::number).max().orElse(0);
            Panel right = new Panel(660, 70, 500, 370, new Axis(-0.5, last + 0.5), y);
            right.frame(g, "trial", label(primary), v -> Long.toString(Math.round(v)), v -> format(v));
            double bestSoFar = Double.NaN;
            double previousX = Double.NaN;
            double previousY = Double.NaN;
            g.setStroke(new BasicStroke(2f));
            for (Trial t : trials.stream().sorted(java.util.Comparator.comparingInt(Trial::number)).toList()) {
                if (!t.ok() || Double.isNaN(value(t, primary))) {
                    continue;
                }
                right.dot(g, t.number(), value(t, primary), POINT, 5);
                bestSoFar = Double.isNaN(bestSoFar) || primary.better(value(t, primary), bestSoFar) ? value(t, primary) : bestSoFar;
                if (!Double.isNaN(previousX)) {
                    g.setColor(LINE);
                    right.line(g, previousX, previousY, t.number(), previousY);
                    right.line(g, t.number(), previousY, t.number(), bestSoFar);
                }
                previousX = t.number();
                previousY = bestSoFar;
            }
            right.legend(g, new String[] {"trial", "best so far"}, new Color[] {POINT, LINE});
        }
        g.dispose();
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "report", ".png.part");
        try {
            if (!ImageIO.write(image, "png", temp.toFile())) {
                throw new IOException("no PNG writer available");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static double value(Trial trial, Objective primary) {
        return trial.metricOrNaN(primary.metric());
    }

    private static String label(Objective primary) {
        return primary.metric().equals(Metrics.ACCURACY) ? "validation accuracy" : primary.metric();
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private record Axis(double min, double max) {
        double fraction(double value) {
            return max == min ? 0.5 : (value - min) / (max - min);
        }
    }

    private record Panel(int left, int top, int width, int height, Axis x, Axis y) {
        int px(double value) {
            return left + (int) Math.round(x.fraction(value) * width);
        }

        int py(double value) {
            return top + height - (int) Math.round(y.fraction(value) * height);
        }

        void frame(Graphics2D g, String xLabel, String yLabel, DoubleFunction<String> xTicks, DoubleFunction<String> yTicks) {
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(left, top, width, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int i = 0; i <= 5; i++) {
                double xv = x.min() + (x.max() - x.min()) * i / 5;
                int xp = px(xv);
                g.setColor(new Color(230, 230, 230));
                g.drawLine(xp, top, xp, top + height);
                g.setColor(Color.BLACK);
                g.drawString(xTicks.apply(xv), xp - 18, top + height + 16);
                double yv = y.min() + (y.max() - y.min()) * i / 5;
                int yp = py(yv);
                g.setColor(new Color(230, 230, 230));
                g.drawLine(left, yp, left + width, yp);
                g.setColor(Color.BLACK);
                g.drawString(yTicks.apply(yv), left - 42, yp + 4);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(xLabel, left + width / 2 - 30, top + height + 36);
            g.drawString(yLabel, left, top - 8);
        }

        void dot(Graphics2D g, double xv, double yv, Color color, int size) {
            g.setColor(color);
            g.fillOval(px(xv) - size / 2, py(yv) - size / 2, size, size);
        }

        void line(Graphics2D g, double x1, double y1, double x2, double y2) {
            g.drawLine(px(x1), py(y1), px(x2), py(y2));
        }

        void legend(Graphics2D g, String[] labels, Color[] colors) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int yPos = top + 16;
            for (int i = 0; i < labels.length; i++) {
                g.setColor(colors[i]);
                g.fillOval(left + width - 120, yPos - 8, 8, 8);
                g.setColor(Color.BLACK);
                g.drawString(labels[i], left + width - 106, yPos);
                yPos += 16;
            }
        }
    }
}
