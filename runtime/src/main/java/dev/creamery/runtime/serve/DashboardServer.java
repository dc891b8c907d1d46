package dev.creamery.runtime.serve;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
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
 *   <li>{@code GET /api/runs/NAME}: its status, settings, the epochs of its trainings, and result once finished;
 *   <li>{@code GET /api/runs/NAME/trials?since=N}: the journal's whole lines after the first N;
 *   <li>{@code GET /api/runs/NAME/events}: server-sent events, one {@code trial} per new line, one
 *       {@code epoch} per finished epoch of a training, and a {@code status} when the run's status changes.
 * </ul>
 *
 * <p>{@code GET /runs/NAME/files/FILE} downloads one of the files a run writes for its user
 * ({@link #DOWNLOADS}), nothing else of its folder.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();
    /** The files of a run folder that can be downloaded, with their media types. */
    static final Map<String, String> DOWNLOADS = Map.of("result.json", "application/json", "job.conf", "text/plain; charset=utf-8",
            "trials.jsonl", "application/x-ndjson", "report.png", "image/png", "model.json", "application/json",
            "model.safetensors", "application/octet-stream");

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
            if (parts.size() == 1 && parts.get(0).equals("runs")) {
                send(exchange, 200, runs.summaries());
                return;
            }
            Optional<Path> folder = parts.size() >= 2 && parts.get(0).equals("runs") ? runs.folder(parts.get(1)) : Optional.empty();
            if (folder.isEmpty() || parts.size() > 3) {
                send(exchange, 404, error("no such run or endpoint: " + exchange.getRequestURI().getRawPath()));
                return;
            }
            String endpoint = parts.size() == 2 ? "" : parts.get(2);
            switch (endpoint) {
                case "" -> send(exchange, 200, detail(folder.get()));
                case "trials" -> trials(exchange, folder.get());
                case "events" -> events(exchange, folder.get());
                default -> send(exchange, 404, error("no such endpoint: " + endpoint));
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
        JsonObject trainings = new JsonObject();
        runs.trainings(folder).forEach(trainings::add);
        detail.add("trainings", trainings);
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
        int sent = 0;
        Map<String, Integer> epochsSent = new HashMap<>();
        RunFolders.Status status = null;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (JsonObject trial : runs.trials(folder, sent)) {
                    write(out, "trial", String.valueOf(sent++), trial);
                }
                for (var training : runs.trainings(folder).entrySet()) {
                    JsonArray epochs = training.getValue();
                    for (int i = epochsSent.getOrDefault(training.getKey(), 0); i < epochs.size(); i++) {
                        JsonObject epoch = epochs.get(i).getAsJsonObject().deepCopy();
                        epoch.addProperty("training", training.getKey());
                        write(out, "epoch", null, epoch);
                    }
                    epochsSent.put(training.getKey(), epochs.size());
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
        byte[] bytes = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
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
