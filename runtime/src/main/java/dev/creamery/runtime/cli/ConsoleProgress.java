package dev.creamery.runtime.cli;

import dev.creamery.api.Progress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Prints progress as plain lines (friendly to terminals, logs and CI): at most one line per
 * tracker every {@code interval}, plus the last, each with done/total, rate and ETA.
 */
public final class ConsoleProgress implements Progress {
    private final PrintStream out;
    private final long intervalNanos;

    /**
     * @param out where lines go (stderr for the CLI)
     * @param interval the least time between two lines of one tracker
     */
    public ConsoleProgress(PrintStream out, Duration interval) {
        this.out = out;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public Tracker start(String activity, long total, String unit) {
        return new Tracker() {
            private final long started = System.nanoTime();
            private long lastPrinted = started;
            private long done;
            private String status = "";
            private boolean printedFinal;

            @Override
            public void advance(long units, String latest) {
                done += units;
                status = latest;
                long now = System.nanoTime();
                if (now - lastPrinted >= intervalNanos || done >= total) {
                    print(now);
                }
            }

            @Override
            public void close() {
                if (!printedFinal && done > 0) {
                    print(System.nanoTime());
                }
            }

            private void print(long now) {
                lastPrinted = now;
                printedFinal = done >= total;
                double seconds = (now - started) / 1e9;
                double rate = done / Math.max(seconds, 1e-9);
                String eta = done >= total ? "done in " + human(seconds) : "ETA " + human((total - done) / Math.max(rate, 1e-9));
                out.printf(Locale.ROOT, "%s: %d/%d %s%s (%.1f %s/s) %s %s%n", activity, done, total, unit, done == 1 ? "" : "s",
                        rate, unit, status, eta);
                out.flush();
            }
        };
    }

    @Override
    public void note(String message) {
        out.println(message);
        out.flush();
    }

    /**
     * @param seconds a duration
     * @return it as {@code 1h02m}, {@code 3m05s} or {@code 12s}
     */
    public static String human(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
