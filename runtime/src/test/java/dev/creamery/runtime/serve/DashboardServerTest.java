package dev.creamery.runtime.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's JSON endpoints over run folders a test writes: a finished run and one still
 * writing, whose journal ends in a half-written line. The server reads whole lines only, never
 * serves outside the runs folder, and never writes into it.
 */
class DashboardServerTest {
    private static final String FINISHED_CONF = "job { name = done, space { type = convnet }, strategy { type = evolution }, "
            + "evaluator { type = one-shot }, data { type = synthetic } }\n";
    private static final String LIVE_CONF = "job { name = live, space { type = autoformer }, strategy { type = random }, "
            + "evaluator { type = train }, data { type = fashion-mnist }, execution { type = spark } }\n";

    @TempDir
    Path dir;

    private Path runs;
    private DashboardServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    private static String trial(int number, double accuracy) {
        return "{\"number\":" + number + ",\"status\":\"ok\",\"canonical\":\"depth=" + (number + 1) + "\",\"architecture\":{\"depth\":"
                + (number + 1) + "},\"params\":100,\"flops\":1000,\"metrics\":{\"accuracy\":" + accuracy + "},\"cost_seconds\":0.5}\n";
    }

    /** The readable copy the training loop keeps beside a checkpoint, after {@code epochs} epochs. */
    private static String checkpoint(int epochs) {
        StringBuilder list = new StringBuilder();
        for (int e = 1; e <= epochs; e++) {
            list.append(e > 1 ? "," : "").append("{\"epoch\":").append(e).append(",\"loss\":").append(2.0 / e)
                    .append(",\"accuracy\":0.5,\"validationAccuracy\":0.4,\"lr\":0.001,\"seconds\":3.0}");
        }
        return "{\"epoch\":" + epochs + ",\"steps\":{},\"epochs\":[" + list + "]}";
    }

    @BeforeEach
    void writeRuns() throws Exception {
        runs = Files.createDirectories(dir.resolve("runs"));
        Path done = Files.createDirectories(runs.resolve("done"));
        Files.writeString(done.resolve("job.conf"), FINISHED_CONF);
        Files.writeString(done.resolve("trials.jsonl"), trial(0, 0.5) + trial(1, 0.75));
        Files.writeString(done.resolve("result.json"), "{\"name\":\"done\",\"best\":{\"trial\":1,\"architecture\":{\"depth\":2}}}");
        Path live = Files.createDirectories(runs.resolve("live"));
        Files.writeString(live.resolve("job.conf"), LIVE_CONF);
        Files.writeString(live.resolve(".lock"), ProcessHandle.current().pid() + "\n");
        String second = trial(1, 0.25);
        Files.writeString(live.resolve("trials.jsonl"), trial(0, 0.125) + second.substring(0, 30));
        Files.createDirectories(live.resolve("evaluator"));
        Files.writeString(live.resolve("evaluator/supernet.checkpoint.json"), checkpoint(1));
        Files.writeString(live.resolve("progress.json"), "{\"started\":\"2026-12-08T01:00:00Z\",\"updated\":\"2026-12-08T01:00:05Z\","
                + "\"activities\":[{\"activity\":\"random\",\"done\":1,\"total\":4,\"unit\":\"trial\",\"status\":\"\","
                + "\"elapsed_seconds\":5.0,\"eta_seconds\":15.0}],\"notes\":[],\"series\":{}}\n");
        Files.writeString(dir.resolve("secret.conf"), "job { name = secret }\n");
        server = new DashboardServer(new RunFolders(runs), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Duration.ofMillis(50));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject json(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    private Map<String, String> snapshot() throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(file).toString(), Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis());
            }
        }
        return files;
    }

    @Test
    void listsRunsWithTheirStatusAndWholeTrialsOnly() throws Exception {
        HttpResponse<String> response = get("/api/runs");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonArray list = JsonParser.parseString(response.body()).getAsJsonArray();
        assertThat(list).hasSize(2);
        JsonObject done = list.get(0).getAsJsonObject();
        JsonObject live = list.get(1).getAsJsonObject();
        assertThat(done.get("name").getAsString()).isEqualTo("done");
        assertThat(done.get("status").getAsString()).isEqualTo("finished");
        assertThat(done.get("trials").getAsInt()).isEqualTo(2);
        assertThat(done.get("objective").getAsString()).isEqualTo("accuracy");
        assertThat(done.getAsJsonObject("best").get("trial").getAsInt()).isEqualTo(1);
        assertThat(live.get("status").getAsString()).isEqualTo("running");
        assertThat(live.get("trials").getAsInt()).as("the half-written line is not a trial yet").isEqualTo(1);
        assertThat(live.get("strategy").getAsString()).isEqualTo("random");
        assertThat(live.get("execution").getAsString()).isEqualTo("spark");
    }

    @Test
    void aRunsDetailHasItsSettingsAndItsResultOnceFinished() throws Exception {
        JsonObject done = json("/api/runs/done");
        assertThat(done.getAsJsonObject("settings").getAsJsonObject("space").get("type").getAsString()).isEqualTo("convnet");
        assertThat(done.getAsJsonObject("result").get("name").getAsString()).isEqualTo("done");
        JsonObject live = json("/api/runs/live");
        assertThat(live.has("result")).isFalse();
        assertThat(live.getAsJsonObject("trainings").getAsJsonArray("evaluator/supernet")).hasSize(1);
        assertThat(live.getAsJsonObject("trainings").getAsJsonArray("evaluator/supernet").get(0).getAsJsonObject().get("loss").getAsDouble())
                .isEqualTo(2.0);
    }

    @Test
    void trialsComeIncrementallyAndAHalfWrittenLineWaitsForItsEnd() throws Exception {
        JsonObject first = json("/api/runs/live/trials");
        assertThat(first.get("next").getAsInt()).isEqualTo(1);
        assertThat(first.getAsJsonArray("trials")).hasSize(1);
        assertThat(first.getAsJsonArray("trials").get(0).getAsJsonObject().getAsJsonObject("metrics").get("accuracy").getAsDouble())
                .isEqualTo(0.125);
        assertThat(json("/api/runs/live/trials?since=1").getAsJsonArray("trials")).isEmpty();

        Files.writeString(runs.resolve("live/trials.jsonl"), trial(1, 0.25).substring(30), StandardOpenOption.APPEND);
        JsonObject next = json("/api/runs/live/trials?since=1");
        assertThat(next.get("since").getAsInt()).isEqualTo(1);
        assertThat(next.get("next").getAsInt()).isEqualTo(2);
        assertThat(next.getAsJsonArray("trials").get(0).getAsJsonObject().get("number").getAsInt()).isEqualTo(1);
        assertThat(get("/api/runs/live/trials?since=x").statusCode()).isEqualTo(400);
    }

    @Test
    void servesNothingOutsideTheRunsFolderAndChangesNothing() throws Exception {
        Map<String, String> before = snapshot();
        for (String path : List.of("/api/runs/..", "/api/runs/../secret.conf", "/api/runs/%2e%2e/trials", "/api/runs/..%2Fsecret.conf",
                "/api/runs/done%2F..%2F..%2Fsecret.conf/trials", "/api/runs/nope", "/api/runs/done/model", "/api/runs/done/trials/x",
                "/api/other")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).doesNotContain("name = secret");
        }
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/runs/done"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get("/api/runs").statusCode()).isEqualTo(200);
        json("/api/runs/live/trials");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aRunsResultAndWeightsDownloadAndNothingElseOfItsFolder() throws Exception {
        Files.write(runs.resolve("done/model.safetensors"), new byte[] {1, 2, 3, 4});
        Files.writeString(runs.resolve("done/evaluator.checkpoint.json"), "{}");
        JsonObject done = json("/api/runs/done");
        assertThat(done.getAsJsonArray("downloads").asList().stream().map(e -> e.getAsString()))
                .containsExactly("/runs/done/files/job.conf", "/runs/done/files/model.safetensors", "/runs/done/files/result.json",
                        "/runs/done/files/trials.jsonl");

        HttpResponse<byte[]> weights = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/runs/done/files/model.safetensors")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(weights.statusCode()).isEqualTo(200);
        assertThat(weights.body()).containsExactly(1, 2, 3, 4);
        assertThat(weights.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"done-model.safetensors\"");
        assertThat(get("/runs/done/files/result.json").body()).contains("\"best\"");
        for (String path : List.of("/runs/done/files/evaluator.checkpoint.json", "/runs/done/files/../../secret.conf",
                "/runs/..%2Fsecret.conf/files/job.conf", "/runs/done/files/report.png", "/runs/done/job.conf", "/runs/done/files/")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void eventsStreamNewTrialsAsTheRunWritesThem() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/runs/live/events")).build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
        List<String> events = new ArrayList<>();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    synchronized (events) {
                        events.add(line);
                    }
                    if (line.startsWith("data: ") && line.contains("\"number\":2")) {
                        return;
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        Files.writeString(runs.resolve("live/evaluator/supernet.checkpoint.json"), checkpoint(2));
        Thread.sleep(200);
        Files.writeString(runs.resolve("live/trials.jsonl"), trial(1, 0.25).substring(30) + trial(2, 0.625), StandardOpenOption.APPEND);
        reading.get(10, java.util.concurrent.TimeUnit.SECONDS);
        List<String> seen;
        synchronized (events) {
            seen = List.copyOf(events);
        }
        assertThat(seen).contains("event: trial", "id: 0", "id: 1", "id: 2", "event: status", "event: progress");
        assertThat(seen).anyMatch(l -> l.startsWith("data: ") && l.contains("\"eta_seconds\":15.0"));
        assertThat(seen.stream().filter(l -> l.equals("event: trial"))).hasSize(3);
        assertThat(seen.stream().filter(l -> l.startsWith("data: ") && l.contains("\"status\":\"running\""))).hasSize(1);
        assertThat(seen.stream().filter(l -> l.equals("event: epoch"))).hasSize(2);
        assertThat(seen).anyMatch(l -> l.startsWith("data: ") && l.contains("\"training\":\"evaluator/supernet\"") && l.contains("\"epoch\":2"));
    }

    @Test
    void aRunsPlotsAreTheDrawingsItLeavesInItsFolder() throws Exception {
        JsonObject done = json("/api/runs/done");
        assertThat(done.getAsJsonArray("plots").asList().stream().map(e -> e.getAsString()))
                .containsExactly("params", "flops", "best-trials", "best-time");
        assertThat(json("/api/runs/live").getAsJsonArray("plots").asList().stream().map(e -> e.getAsString()))
                .contains("params", "training-loss", "training-accuracy");
        assertThat(json("/api/runs/live").getAsJsonObject("progress").getAsJsonArray("activities")).hasSize(1);
        HttpResponse<String> svg = get("/api/runs/done/plots/params.svg");
        assertThat(svg.statusCode()).isEqualTo(200);
        assertThat(svg.headers().firstValue("Content-Type")).contains("image/svg+xml; charset=utf-8");
        // Both trials are dots with their numbers and architectures; the better one is also the front's and the best.
        assertThat(svg.body()).startsWith("<svg").contains("<title>trial 0: accuracy 0.5000").contains("<title>trial 1: accuracy 0.7500");
        assertThat(svg.body().split("<title>trial 1:", -1)).hasSize(4);

        // A run's end writes the same drawing into its folder (a copy here: the server's folders stay untouched).
        Path copy = Files.createDirectories(dir.resolve("copy/done"));
        for (String file : List.of("job.conf", "trials.jsonl", "result.json")) {
            Files.copy(runs.resolve("done").resolve(file), copy.resolve(file));
        }
        List<Path> written = dev.creamery.runtime.report.SearchReport.write(copy, "done");
        assertThat(written.stream().map(p -> p.getFileName().toString()))
                .containsExactly("params.svg", "flops.svg", "best-trials.svg", "best-time.svg", "report.png");
        assertThat(Files.readString(copy.resolve("plots/params.svg"))).isEqualTo(svg.body());
        assertThat(javax.imageio.ImageIO.read(copy.resolve("report.png").toFile()).getWidth()).isEqualTo(1200);

        for (String path : List.of("/api/runs/done/plots/nope.svg", "/api/runs/done/plots/params", "/api/runs/done/plots/..%2F..%2Fsecret.conf",
                "/api/runs/done/plots/training-loss.svg")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void twoRunsCompareOverTheArchitecturesBothEvaluated() throws Exception {
        HttpResponse<String> tooFew = get("/api/compare?a=done&b=live");
        assertThat(tooFew.statusCode()).isEqualTo(400);
        assertThat(tooFew.body()).contains("done and live have 1 successful architecture(s) with 'accuracy' and 'accuracy' in common");
        assertThat(get("/api/compare?a=done").statusCode()).isEqualTo(400);
        assertThat(get("/api/compare?a=done&b=..").statusCode()).isEqualTo(400);

        Files.writeString(runs.resolve("live/trials.jsonl"), trial(1, 0.25).substring(30), StandardOpenOption.APPEND);
        JsonObject comparison = json("/api/compare?a=done&b=live");
        assertThat(comparison.get("n").getAsInt()).isEqualTo(2);
        assertThat(comparison.get("kendall_tau").getAsDouble()).isEqualTo(1.0);
        assertThat(comparison.getAsJsonArray("pairs").get(0).getAsJsonObject().get("a").getAsDouble()).isEqualTo(0.75);
        HttpResponse<String> scatter = get("/api/compare.svg?a=done&b=live");
        assertThat(scatter.headers().firstValue("Content-Type")).contains("image/svg+xml; charset=utf-8");
        assertThat(scatter.body()).contains("<title>rank 1 in done (accuracy 0.7500), rank 1 in live (accuracy 0.2500)")
                .contains("<title>rank 2 in done (accuracy 0.5000), rank 2 in live (accuracy 0.1250)").contains("Kendall tau 1.000");
    }

    @Test
    void thePageIsServedFromTheJarAndNothingElseIs() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body()).contains("<script src=\"/dashboard.js\"></script>").doesNotContain("http://").doesNotContain("https://");
        assertThat(get("/dashboard.js").body()).contains("new EventSource(").doesNotContain("https://");
        assertThat(get("/dashboard.css").headers().firstValue("Content-Type")).contains("text/css; charset=utf-8");
        for (String path : List.of("/index.htm", "/../secret.conf", "/web/index.html", "/DashboardServer.class", "/%2e%2e/secret.conf")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(404);
        }
    }
}
