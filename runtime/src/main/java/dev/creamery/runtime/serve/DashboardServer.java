package dev.creamery.runtime.serve;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.creamery.api.Trial;
import dev.creamery.runtime.io.Journal;
import dev.creamery.runtime.report.Chart;
import dev.creamery.runtime.report.RunComparison;
import dev.creamery.runtime.report.RunPlots;
import dev.creamery.runtime.report.RunRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The dashboard's HTTP server over a directory of run folders, read-only. Its JSON endpoints are
 * stable (scripts rely on them; docs/dashboard.md):
 *
 * <ul>
 *   <li>{@code GET /api/runs}: every run with its status;
 *   <li>{@code GET /api/runs/NAME}: its status, settings, the epochs of its trainings, its live
 *       progress, the names of its plots, and result once finished;
 *   <li>{@code GET /api/runs/NAME/trials?since=N}: the journal's whole lines after the first N;
 *   <li>{@code GET /api/runs/NAME/events}: server-sent events, one {@code trial} per new line, one
 *       {@code epoch} per finished epoch of a training, a {@code progress} when the run's
 *       {@code progress.json} changes, and a {@code status} when the run's status changes;
 *   <li>{@code GET /api/runs/NAME/plots/PLOT.svg}: one of the run's {@link RunPlots}, drawn now;
 *   <li>{@code GET /api/compare?a=RUN&b=RUN[&metric=M][&metric-b=M]}: what {@code creamery compare --json}
 *       prints, and {@code GET /api/compare.svg?...} its rank scatter.
 * </ul>
 *
 * <p>{@code GET /runs/NAME/files/FILE} downloads one of the files a run writes for its user
 * ({@link #DOWNLOADS}), nothing else of its folder. {@code GET /} is the page, which uses nothing
 * but these endpoints and the few files it is made of ({@link #ASSETS}), all served from the jar.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();
    /** The files of a run folder that can be downloaded, with their media types. */
    static final Map<String, String> DOWNLOADS = Map.of("result.json", "application/json", "job.conf", "text/plain; charset=utf-8",
            "trials.jsonl", "application/x-ndjson", "report.png", "image/png", "model.json", "application/json",
            "model.safetensors", "application/octet-stream");

    /** The page's files, from the jar, with their media types. */
    static final Map<String, String> ASSETS = Map.of("index.html", "text/html; charset=utf-8", "dashboard.js",
            "text/javascript; charset=utf-8", "dashboard.css", "text/css; charset=utf-8");
    private static final String SVG = "image/svg+xml; charset=utf-8";

    private final RunFolders runs;
    private final HttpServer server;
    private final ExecutorService threads;
    private final Duration poll;

    /**
     * @param runs the run folders to serve
     * @param address where to listen (port 0: any free port)
     * @param poll how often an event stream looks at its run
     */
    public DashboardServer(RunFolders runs, InetSocketAddress address, Duration poll) throws IOException {
        this.runs = runs;
        this.poll = poll;
        this.server = HttpServer.create(address, 0);
        // Event streams hold a thread each for as long as a page is open.
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "dashboard");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/api/", this::api);
        server.createContext("/runs/", this::download);
        server.createContext("/", this::page);
        server.start();
    }

    /** @return the port it listens on */
    public int port() {
        return server.getAddress().getPort();
    }

    private void api(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, error("only GET: the dashboard never changes a run"));
                return;
            }
            // The raw path: an encoded '/' or '..' stays inside one segment, which no run name matches.
            List<String> parts = List.of(exchange.getRequestURI().getRawPath().substring("/api/".length()).split("/", -1));
            if (parts.size() == 1) {
                switch (parts.get(0)) {
                    case "runs" -> send(exchange, 200, runs.summaries());
                    case "compare" -> compare(exchange, false);
                    case "compare.svg" -> compare(exchange, true);
                    default -> send(exchange, 404, error("no such endpoint: " + exchange.getRequestURI().getRawPath()));
                }
                return;
            }
            Optional<Path> folder = parts.size() >= 2 && parts.get(0).equals("runs") ? runs.folder(parts.get(1)) : Optional.empty();
            if (folder.isEmpty() || parts.size() > 4) {
                send(exchange, 404, error("no such run or endpoint: " + exchange.getRequestURI().getRawPath()));
                return;
            }
            String endpoint = parts.size() == 2 ? "" : parts.get(2);
            switch (parts.size() == 4 ? endpoint + "/" : endpoint) {
                case "" -> send(exchange, 200, detail(folder.get()));
                case "trials" -> trials(exchange, folder.get());
                case "events" -> events(exchange, folder.get());
                case "plots/" -> plot(exchange, folder.get(), parts.get(3));
                default -> send(exchange, 404, error("no such endpoint: " + exchange.getRequestURI().getRawPath()));
            }
        }
    }

    /** {@code /plots/PLOT.svg}: one plot of the run, drawn from what its folder holds now. */
    private void plot(HttpExchange exchange, Path folder, String file) throws IOException {
        Chart chart = file.endsWith(".svg") ? RunPlots.of(RunRecord.read(folder)).get(file.substring(0, file.length() - 4)) : null;
        if (chart == null) {
            send(exchange, 404, error("no such plot: " + file + " (the run's plots are listed in /api/runs/" + folder.getFileName() + ")"));
            return;
        }
        send(exchange, 200, SVG, chart.svg(RunPlots.WIDTH, RunPlots.HEIGHT).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code /api/compare?a=RUN&b=RUN}: the rank correlation of two runs, as JSON or as its scatter. */
    private void compare(HttpExchange exchange, boolean svg) throws IOException {
        Optional<Path> a = query(exchange, "a").flatMap(runs::folder);
        Optional<Path> b = query(exchange, "b").flatMap(runs::folder);
        if (a.isEmpty() || b.isEmpty()) {
            send(exchange, 400, error("give two runs: /api/compare?a=RUN&b=RUN[&metric=accuracy][&metric-b=METRIC]"));
            return;
        }
        String metric = query(exchange, "metric").orElse("accuracy");
        RunComparison comparison;
        try {
            comparison = RunComparison.of(trials(a.get()), metric, trials(b.get()), query(exchange, "metric-b").orElse(metric));
        } catch (IllegalArgumentException e) {
            send(exchange, 400, error(a.get().getFileName() + " and " + b.get().getFileName() + " " + e.getMessage()));
            return;
        }
        if (svg) {
            send(exchange, 200, SVG, comparison.rankScatter(a.get().getFileName().toString(), b.get().getFileName().toString())
                    .svg(RunPlots.WIDTH, RunPlots.HEIGHT).getBytes(StandardCharsets.UTF_8));
        } else {
            send(exchange, 200, comparison.toJson());
        }
    }

    private static List<Trial> trials(Path folder) throws IOException {
        return RunRecord.lines(folder).stream().map(Journal.Line::trial).toList();
    }

    /** {@code /} and the page's own files. */
    private void page(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String name = path.equals("/") ? "index.html" : path.substring(1);
            String type = ASSETS.get(name);
            if (!exchange.getRequestMethod().equals("GET") || type == null) {
                send(exchange, exchange.getRequestMethod().equals("GET") ? 404 : 405, error("no such page: " + path));
                return;
            }
            try (InputStream in = DashboardServer.class.getResourceAsStream("web/" + name)) {
                send(exchange, 200, type, in.readAllBytes());
            }
        }
    }

    /** {@code /runs/NAME/files/FILE}: one of {@link #DOWNLOADS}, streamed as it is on disk. */
    private void download(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, error("only GET: the dashboard never changes a run"));
                return;
            }
            String[] parts = exchange.getRequestURI().getRawPath().substring("/runs/".length()).split("/", -1);
            Optional<Path> folder = parts.length == 3 && parts[1].equals("files") ? runs.folder(parts[0]) : Optional.empty();
            String type = parts.length == 3 ? DOWNLOADS.get(parts[2]) : null;
            Path file = folder.isPresent() && type != null ? folder.get().resolve(parts[2]) : null;
            if (file == null || !Files.isRegularFile(file)) {
                send(exchange, 404, error("no such file to download: " + exchange.getRequestURI().getRawPath()));
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + parts[0] + "-" + parts[2] + "\"");
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = exchange.getResponseBody()) {
                Files.copy(file, out);
            }
        }
    }

    private JsonObject detail(Path folder) throws IOException {
        JsonObject detail = runs.summary(folder);
        detail.add("settings", runs.settings(folder).get("job"));
        RunRecord record = RunRecord.read(folder);
        JsonObject trainings = new JsonObject();
        record.trainings().forEach(trainings::add);
        detail.add("trainings", trainings);
        detail.add("progress", record.progress());
        JsonArray plots = new JsonArray();
        RunPlots.of(record).keySet().forEach(plots::add);
        detail.add("plots", plots);
        runs.result(folder).ifPresent(result -> detail.add("result", result));
        JsonArray files = new JsonArray();
        DOWNLOADS.keySet().stream().sorted().filter(name -> Files.isRegularFile(folder.resolve(name)))
                .forEach(name -> files.add("/runs/" + folder.getFileName() + "/files/" + name));
        detail.add("downloads", files);
        return detail;
    }

    private void trials(HttpExchange exchange, Path folder) throws IOException {
        int since;
        try {
            since = Math.max(0, Integer.parseInt(query(exchange, "since").orElse("0")));
        } catch (NumberFormatException e) {
            send(exchange, 400, error("since must be a whole number of trials"));
            return;
        }
        var trials = runs.trials(folder, since);
        JsonObject body = new JsonObject();
        body.addProperty("since", since);
        body.addProperty("next", since + trials.size());
        body.add("trials", GSON.toJsonTree(trials));
        send(exchange, 200, body);
    }

    /** Streams new journal lines and status changes until the client goes away. */
    private void events(HttpExchange exchange, Path folder) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        RunRecord.Tail journal = new RunRecord.Tail(folder);
        int sent = 0;
        Map<String, Integer> epochsSent = new HashMap<>();
        String progressSent = "";
        RunFolders.Status status = null;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (String line : journal.next()) {
                    JsonObject trial = RunFolders.parse(line);
                    // A damaged line keeps its number (the run drops it on resume) but is not sent.
                    if (trial.size() > 0) {
                        write(out, "trial", String.valueOf(sent), trial);
                    }
                    sent++;
                }
                for (var training : RunRecord.trainings(folder).entrySet()) {
                    JsonArray epochs = training.getValue();
                    for (int i = epochsSent.getOrDefault(training.getKey(), 0); i < epochs.size(); i++) {
                        JsonObject epoch = epochs.get(i).getAsJsonObject().deepCopy();
                        epoch.addProperty("training", training.getKey());
                        write(out, "epoch", null, epoch);
                    }
                    epochsSent.put(training.getKey(), epochs.size());
                }
                JsonObject progress = RunRecord.progress(folder);
                String updated = progress.has("updated") ? progress.get("updated").getAsString() : "";
                if (!updated.equals(progressSent)) {
                    progressSent = updated;
                    write(out, "progress", null, progress);
                }
                RunFolders.Status now = runs.status(folder);
                if (now != status) {
                    status = now;
                    write(out, "status", null, runs.summary(folder));
                }
                out.flush();
                Thread.sleep(poll.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException gone) {
            // The page was closed.
        }
    }

    private static void write(OutputStream out, String event, String id, JsonElement data) throws IOException {
        String text = "event: " + event + "\n" + (id == null ? "" : "id: " + id + "\n") + "data: " + GSON.toJson(data) + "\n\n";
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> query(HttpExchange exchange, String key) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(key)) {
                return Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static JsonObject error(String message) {
        JsonObject error = new JsonObject();
        error.addProperty("error", message);
        return error;
    }

    private static void send(HttpExchange exchange, int status, JsonElement body) throws IOException {
        send(exchange, status, "application/json; charset=utf-8", GSON.toJson(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
