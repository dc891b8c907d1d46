package dev.creamery.runtime.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.creamery.api.Progress;
import dev.creamery.runtime.Jobs;
import dev.creamery.runtime.job.JobLoader;
import dev.creamery.runtime.job.JobRunner;
import dev.creamery.runtime.job.RunFolder;
import dev.creamery.runtime.job.RunProgress;
import dev.creamery.testkit.RecordingProgress;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser (Debian's chromium, headless, through chromium-driver) against a
 * run that is still writing: the journal of a real search is appended line by line while the page
 * is open. The table grows, the best so far follows, the plot draws every trial, and the run's end
 * turns its status to finished, all without a reload. The screenshot is docs/images/dashboard.png.
 */
@Tag("slow")
class DashboardPageTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final String JOB = """
            job {
              name = search
              seed = 5
              compute { device = cpu, threads = 1 }
              data { type = synthetic, size = 8, classes = 4, train-size = 256, validation-size = 64, test-size = 64 }
              space { type = convnet, depths = [1, 2, 3], widths = [4, 8, 16], kernels = [3, 5], stem = 4 }
              evaluator { type = one-shot, supernet { epochs = 3, batch-size = 32, lr = 3e-3, warmup-epochs = 0 } }
              strategy { type = evolution, population = 8, generations = 3, parents = 4, mutations = 4, crossovers = 2 }
            }
            """;

    @TempDir
    Path dir;

    private DashboardServer server;
    private ChromeDriver browser;

    @BeforeEach
    void start() throws IOException {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER))
                .as("the browser test needs Debian's chromium and chromium-driver: apt-get install chromium chromium-driver").isTrue();
        server = new DashboardServer(new RunFolders(dir.resolve("runs")), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Duration.ofMillis(100));
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--hide-scrollbars");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options);
        browser.manage().window().setSize(new Dimension(1400, 2000));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aLiveRunsPageFollowsItsJournal() throws Exception {
        // A real search's folder, then the same journal replayed into a folder held by a live process (this one).
        Path finished = dir.resolve("finished");
        new JobRunner(new RecordingProgress()).run(Jobs.load(Jobs.write(dir, "search.conf", JOB), JobLoader.Purpose.SEARCH), finished,
                RunFolder.Mode.NEW);
        List<String> journal = Files.readAllLines(finished.resolve("trials.jsonl"));
        List<Double> accuracies = journal.stream().map(line -> JsonParser.parseString(line).getAsJsonObject())
                .map(t -> t.getAsJsonObject("metrics").get("accuracy").getAsDouble()).toList();
        double best = accuracies.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        int firstBest = accuracies.indexOf(best);
        assertThat(firstBest).as("the search improves after its first trials (its seed is fixed)").isGreaterThanOrEqualTo(2);

        Path live = Files.createDirectories(dir.resolve("runs/live"));
        Files.copy(finished.resolve("job.conf"), live.resolve("job.conf"));
        Files.createDirectories(live.resolve("evaluator"));
        Files.copy(finished.resolve("evaluator/supernet.checkpoint.json"), live.resolve("evaluator/supernet.checkpoint.json"));
        Files.writeString(live.resolve(".lock"), ProcessHandle.current().pid() + "\n");
        Path trials = live.resolve("trials.jsonl");
        Files.writeString(trials, String.join("\n", journal.subList(0, firstBest)) + "\n");
        RunProgress progress = new RunProgress(new RecordingProgress());
        try (RunProgress.Attached attached = progress.attach(live.resolve(RunProgress.FILE));
                Progress.Tracker evolution = progress.start("evolution", 3, "generation")) {
            evolution.advance(1, "best 0.5");

            browser.get("http://127.0.0.1:" + server.port() + "/#/run/live");
            await("the first trials are listed", () -> rows() == firstBest);
            await("the best so far is the first trials'", () -> text("best").contains(format(accuracies.subList(0, firstBest).stream()
                    .mapToDouble(Double::doubleValue).max().orElseThrow())));
            assertThat(text("status")).isEqualTo("running");
            await("the work under way shows, within the second its progress is written", () -> text("activities")
                    .contains("evolution 1/3 generations"));

            // The run goes on writing, a line at a time (the last one cut short for a while, as a writer leaves it).
            for (int i = firstBest; i < journal.size(); i++) {
                String line = journal.get(i) + "\n";
                int cut = i == journal.size() - 1 ? line.length() / 2 : line.length();
                Files.writeString(trials, line.substring(0, cut), StandardOpenOption.APPEND);
                if (cut < line.length()) {
                    await("the whole lines are listed", () -> rows() == journal.size() - 1);
                    Thread.sleep(1000);
                    assertThat(rows()).as("a half-written line is not a trial yet").isEqualTo(journal.size() - 1);
                    Files.writeString(trials, line.substring(cut), StandardOpenOption.APPEND);
                }
                Thread.sleep(20);
            }
            evolution.advance(1, "best " + best);
            await("every trial is listed", () -> rows() == journal.size());
            await("the best so far follows", () -> text("best").contains(format(best)));
            await("the activity advanced", () -> text("activities").contains("2/3 generations"));
            assertThat(text("count")).endsWith("\n" + journal.size() + " / no limit");

            // Every trial is a dot of the accuracy-against-parameters plot (more for the front and the best).
            await("the plot shows every trial", () -> browser.findElements(By.cssSelector("[data-plot=params] svg circle")).size()
                    >= journal.size() + 2);
            WebElement plot = browser.findElement(By.cssSelector("[data-plot=params]"));
            BufferedImage picture = ImageIO.read(new ByteArrayInputStream(plot.getScreenshotAs(OutputType.BYTES)));
            assertThat(share(picture, 250)).as("the plot is not blank").isGreaterThan(0.02);
            assertThat(pixelsNear(picture, 230, 120, 20)).as("the Pareto front is drawn in its colour").isGreaterThan(50);

            // Sorting by accuracy puts the best first; filtering by status leaves no failed trial.
            List<String> keys = stable(() -> browser.findElements(By.cssSelector("#trials th")).stream().map(th -> th.getAttribute("data-key"))
                    .toList());
            stable(() -> {
                browser.findElement(By.cssSelector("#trials th[data-key='m:accuracy']")).click();
                return null;
            });
            String firstAccuracy = "#trials tbody tr:first-child td:nth-child(" + (keys.indexOf("m:accuracy") + 1) + ")";
            await("sorted by accuracy, best first", () -> browser.findElement(By.cssSelector(firstAccuracy)).getText().equals(format(best)));
            browser.findElement(By.cssSelector("#filter-status option[value='failed']")).click();
            await("no failed trial", () -> rows() == 0);
            browser.findElement(By.cssSelector("#filter-status option[value='ok']")).click();
            await("every trial again", () -> rows() == journal.size());
            screenshot();
        }
        // The run ends: its status turns, live.
        Files.copy(finished.resolve("result.json"), live.resolve("result.json"));
        Files.writeString(live.resolve(".lock"), "");
        await("the run shows as finished", () -> text("status").equals("finished"));
        await("its downloads are offered", () -> text("downloads").contains("result.json"));
    }

    private void screenshot() throws IOException {
        Path target = Path.of("target", "dashboard.png");
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        BufferedImage page = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(share(page, 250)).as("the page is not blank").isGreaterThan(0.05);
        Files.write(target, png);
    }

    private int rows() {
        return browser.findElements(By.cssSelector("#trials tbody tr")).size();
    }

    private String text(String id) {
        return stable(() -> {
            List<WebElement> found = browser.findElements(By.id(id));
            return found.isEmpty() ? "" : found.get(0).getText();
        });
    }

    /** The page redraws live, so an element found may be replaced before it is used: it is found again. */
    private static <T> T stable(Supplier<T> read) {
        for (int attempt = 0; ; attempt++) {
            try {
                return read.get();
            } catch (StaleElementReferenceException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** The page's number format for a best value (four decimals, trailing zeros dropped). */
    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value).replaceAll("\\.?0+$", "");
    }

    /** @return the share of pixels darker than {@code level} in every channel (not background) */
    private static double share(BufferedImage image, int level) {
        long dark = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (((rgb >> 16) & 255) < level || ((rgb >> 8) & 255) < level || (rgb & 255) < level) {
                    dark++;
                }
            }
        }
        return dark / (double) (image.getWidth() * image.getHeight());
    }

    private static long pixelsNear(BufferedImage image, int r, int g, int b) {
        long near = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (Math.abs(((rgb >> 16) & 255) - r) + Math.abs(((rgb >> 8) & 255) - g) + Math.abs((rgb & 255) - b) < 40) {
                    near++;
                }
            }
        }
        return near;
    }

    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (StaleElementReferenceException e) {
            // Redrawn while it was read: looked at again on the next round.
            return false;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!holds(condition)) {
            assertThat(System.nanoTime()).as("waited 20 s for: " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
