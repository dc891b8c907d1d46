package dev.creamery.runtime.report;

import dev.creamery.runtime.io.AtomicFiles;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * What a run leaves to look at when it ends: each of its {@link RunPlots} as {@code plots/NAME.svg}
 * (the same drawings the dashboard shows) and all of them on one page, {@code report.png}.
 */
public final class SearchReport {
    private static final int HEADER = 44;

    private SearchReport() {}

    /**
     * @param folder the run folder (read as the dashboard reads it, then written into)
     * @param title the picture's title line
     * @return the files written
     * @throws IOException if a file cannot be written
     */
    public static List<Path> write(Path folder, String title) throws IOException {
        Map<String, Chart> charts = RunPlots.of(RunRecord.read(folder));
        List<Path> written = new ArrayList<>();
        Path plots = Files.createDirectories(folder.resolve("plots"));
        for (Map.Entry<String, Chart> chart : charts.entrySet()) {
            Path svg = plots.resolve(chart.getKey() + ".svg");
            AtomicFiles.write(svg, chart.getValue().svg(RunPlots.WIDTH, RunPlots.HEIGHT).getBytes(StandardCharsets.UTF_8));
            written.add(svg);
        }
        Path png = folder.resolve("report.png");
        AtomicFiles.write(png, png(title, List.copyOf(charts.values())));
        written.add(png);
        return written;
    }

    /** Two plots a row under the title. */
    private static byte[] png(String title, List<Chart> charts) throws IOException {
        int rows = Math.max(1, (charts.size() + 1) / 2);
        try (ImageCanvas canvas = new ImageCanvas(2 * RunPlots.WIDTH, HEADER + rows * RunPlots.HEIGHT)) {
            canvas.text(16, 28, title, 16, Canvas.Anchor.START, true, Color.BLACK);
            if (charts.isEmpty()) {
                canvas.text(16, HEADER + 30, "no successful trials to plot", 12, Canvas.Anchor.START, false, Color.BLACK);
            }
            for (int i = 0; i < charts.size(); i++) {
                charts.get(i).draw(canvas, (i % 2) * RunPlots.WIDTH, HEADER + (i / 2) * RunPlots.HEIGHT, RunPlots.WIDTH, RunPlots.HEIGHT);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if (!ImageIO.write(canvas.image(), "png", bytes)) {
                throw new IOException("no PNG writer available");
            }
            return bytes.toByteArray();
        }
    }
}
