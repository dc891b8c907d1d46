package dev.creamery.runtime.job;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.creamery.api.Progress;
import dev.creamery.runtime.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Passes progress on (to the console) and, while a run is attached, keeps the run's live state in
 * its folder as {@code progress.json} for the dashboard: when this session started, the work under
 * way (done, total, rate, ETA, status), the latest notes, and the quantities strategies record. The
 * file is replaced whole whenever work starts or ends, and otherwise at most once a second (a
 * change held back is written within the second, by a timer thread).
 *
 * <pre>{"started": "2026-12-08T01:02:03Z", "updated": "...", "ended": "..." (once the session ended),
 *  "activities": [{"activity": "evolution", "done": 3, "total": 10, "unit": "generation", "status": "...",
 *                  "elapsed_seconds": 12.5, "eta_seconds": 29.1}],
 *  "notes": [{"time": "...", "message": "..."}],
 *  "series": {"reinforce-entropy": {"title": "reinforce entropy", "unit": "step", "x": [...], "y": [...]}}}</pre>
 */
public final class RunProgress implements Progress {
    /** The file's name in a run folder. */
    public static final String FILE = "progress.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final long WRITE_INTERVAL_NANOS = 1_000_000_000L;
    private static final int NOTES = 20;
    /** A recorded quantity keeps at most this many points: past it, every other one is dropped. */
    static final int SERIES_POINTS = 4000;

    private final Progress out;
    private final List<Activity> activities = new ArrayList<>();
    private final Deque<JsonObject> notes = new ArrayDeque<>();
    private final Map<String, Series> series = new LinkedHashMap<>();
    private Path file;
    private Instant started;
    private long written;
    private boolean warned;
    private boolean dirty;

    /** @param out where progress is shown */
    public RunProgress(Progress out) {
        this.out = out;
    }

    /** A run's state being kept; closing it writes the session's last state, marked ended, and stops keeping it. */
    public interface Attached extends AutoCloseable {
        @Override
        void close();
    }

    /** Starts keeping a run's state in {@code file}, from nothing (a resumed run starts a new session). */
    public synchronized Attached attach(Path file) {
        this.file = file;
        started = Instant.now();
        activities.clear();
        notes.clear();
        series.clear();
        write(true, null);
        ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "progress.json");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(() -> {
            synchronized (RunProgress.this) {
                if (dirty) {
                    write(true, null);
                }
            }
        }, 1, 1, TimeUnit.SECONDS);
        return () -> {
            flusher.shutdownNow();
            synchronized (RunProgress.this) {
                if (file.equals(this.file)) {
                    write(true, Instant.now());
                    this.file = null;
                }
            }
        };
    }

    @Override
    public Tracker start(String activity, long total, String unit) {
        Tracker tracker = out.start(activity, total, unit);
        Activity state = new Activity(activity, total, unit, System.nanoTime());
        synchronized (this) {
            activities.add(state);
            write(true, null);
        }
        return new Tracker() {
            @Override
            public void advance(long units, String status) {
                tracker.advance(units, status);
                synchronized (RunProgress.this) {
                    state.done += units;
                    state.status = status;
                    write(false, null);
                }
            }

            @Override
            public void record(String quantity, double value) {
                tracker.record(quantity, value);
                synchronized (RunProgress.this) {
                    series.computeIfAbsent(key(activity + " " + quantity), k -> new Series(activity + " " + quantity, unit))
                            .add(state.done, value);
                    write(false, null);
                }
            }

            @Override
            public void close() {
                tracker.close();
                synchronized (RunProgress.this) {
                    activities.remove(state);
                    write(true, null);
                }
            }
        };
    }

    @Override
    public void note(String message) {
        out.note(message);
        synchronized (this) {
            JsonObject note = new JsonObject();
            note.addProperty("time", Instant.now().toString());
            note.addProperty("message", message);
            notes.addLast(note);
            while (notes.size() > NOTES) {
                notes.removeFirst();
            }
            write(true, null);
        }
    }

    /** @return a recorded quantity's name as a file and URL name: lower case, words joined by '-' */
    static String key(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    private void write(boolean now, Instant ended) {
        long time = System.nanoTime();
        if (file == null) {
            return;
        }
        if (!now && time - written < WRITE_INTERVAL_NANOS) {
            dirty = true;
            return;
        }
        written = time;
        dirty = false;
        JsonObject json = new JsonObject();
        json.addProperty("started", started.toString());
        json.addProperty("updated", Instant.now().toString());
        if (ended != null) {
            json.addProperty("ended", ended.toString());
        }
        JsonArray open = new JsonArray();
        activities.forEach(a -> open.add(a.toJson(time)));
        json.add("activities", open);
        JsonArray noted = new JsonArray();
        notes.forEach(noted::add);
        json.add("notes", noted);
        JsonObject recorded = new JsonObject();
        series.forEach((name, s) -> recorded.add(name, s.toJson()));
        json.add("series", recorded);
        try {
            AtomicFiles.write(file, (GSON.toJson(json) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The dashboard's view is not worth stopping a search for; say it once.
            if (!warned) {
                warned = true;
                out.note("warning: cannot write " + file + " (" + e.getMessage() + "); the dashboard will not show this run's progress");
            }
        }
    }

    private static final class Activity {
        final String name;
        final long total;
        final String unit;
        final long startedNanos;
        long done;
        String status = "";

        Activity(String name, long total, String unit, long startedNanos) {
            this.name = name;
            this.total = total;
            this.unit = unit;
            this.startedNanos = startedNanos;
        }

        JsonObject toJson(long now) {
            double elapsed = (now - startedNanos) / 1e9;
            JsonObject json = new JsonObject();
            json.addProperty("activity", name);
            json.addProperty("done", done);
            json.addProperty("total", total);
            json.addProperty("unit", unit);
            json.addProperty("status", status);
            json.addProperty("elapsed_seconds", elapsed);
            if (done > 0 && done < total) {
                json.addProperty("eta_seconds", elapsed / done * (total - done));
            }
            return json;
        }
    }

    private static final class Series {
        final String title;
        final String unit;
        final List<double[]> points = new ArrayList<>();

        Series(String title, String unit) {
            this.title = title;
            this.unit = unit;
        }

        void add(double x, double y) {
            if (!Double.isFinite(y)) {
                return;
            }
            points.add(new double[] {x, y});
            if (points.size() > SERIES_POINTS) {
                for (int i = points.size() - 2; i > 0; i -= 2) {
                    points.remove(i);
                }
            }
        }

        JsonObject toJson() {
            JsonObject json = new JsonObject();
            json.addProperty("title", title);
            json.addProperty("unit", unit);
            JsonArray xs = new JsonArray();
            JsonArray ys = new JsonArray();
            for (double[] point : points) {
                xs.add(point[0]);
                ys.add(point[1]);
            }
            json.add("x", xs);
            json.add("y", ys);
            return json;
        }
    }
}
