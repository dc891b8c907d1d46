package dev.creamery.runtime.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.creamery.runtime.report.RunRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The run folders under one directory, as the dashboard reads them: never writing, never outside
 * the directory, and tolerant of a run that is writing while it reads (a journal's last line may be
 * cut short; it is left for the next read).
 */
public final class RunFolders {
    /** What a run's folder name may be: what {@code job.name} allows. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private final Path root;

    /** @param root the directory holding run folders (a {@code runs/}) */
    public RunFolders(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** @return the directory */
    public Path root() {
        return root;
    }

    /** A run's state, as its folder shows it. */
    public enum Status {
        /** A process holds the folder's lock. */
        RUNNING,
        /** It wrote {@code result.json}. */
        FINISHED,
        /** Neither: stopped, failed, or not started ({@code --resume} continues it). */
        STOPPED;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** @return every run folder (one with a {@code job.conf}), by name */
    public List<String> names() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(p -> Files.isRegularFile(p.resolve("job.conf"))).map(p -> p.getFileName().toString())
                    .filter(n -> NAME.matcher(n).matches()).sorted().toList();
        }
    }

    /**
     * @param name a run's name, as a client gave it
     * @return its folder, if the name is a run folder directly under the directory
     */
    public Optional<Path> folder(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.equals("..") || name.equals(".")) {
            return Optional.empty();
        }
        Path folder = root.resolve(name).normalize();
        if (!folder.getParent().equals(root) || !Files.isRegularFile(folder.resolve("job.conf"))) {
            return Optional.empty();
        }
        return Optional.of(folder);
    }

    /** @return the run's status */
    public Status status(Path folder) {
        if (Files.isRegularFile(folder.resolve("result.json"))) {
            return Status.FINISHED;
        }
        return holder(folder).isPresent() ? Status.RUNNING : Status.STOPPED;
    }

    /** The process named in the folder's lock file, if it is alive: the lock's holder writes its id there and empties it on close. */
    private static Optional<ProcessHandle> holder(Path folder) {
        try {
            String text = Files.readString(folder.resolve(".lock"), StandardCharsets.US_ASCII).trim();
            return text.matches("\\d{1,19}") ? ProcessHandle.of(Long.parseLong(text)).filter(ProcessHandle::isAlive) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * @param folder a run folder
     * @param since how many of the journal's lines the caller has
     * @return the journal's whole lines after the first {@code since}, each as its JSON object
     */
    public List<JsonObject> trials(Path folder, int since) throws IOException {
        return RunRecord.journalText(folder, since).stream().map(RunFolders::parse).filter(t -> t.size() > 0).toList();
    }

    /** @return a journal line as its JSON object, or an empty one if it is damaged */
    static JsonObject parse(String text) {
        try {
            JsonElement parsed = JsonParser.parseString(text);
            return parsed.isJsonObject() ? parsed.getAsJsonObject() : new JsonObject();
        } catch (JsonParseException e) {
            // A damaged line is the run's to report (it drops it on resume), not the dashboard's.
            return new JsonObject();
        }
    }

    /**
     * @return the run's summary: name, status, the job's space, strategy, evaluator, data and
     *     execution types, the first objective's metric, trials so far, the last trial's phase, this session's start, last update
     *     and work under way ({@code progress.json}), the best once finished
     */
    public JsonObject summary(Path folder) throws IOException {
        JsonObject summary = new JsonObject();
        summary.addProperty("name", folder.getFileName().toString());
        summary.addProperty("status", status(folder).key());
        JsonObject settings = settings(folder);
        JsonObject job = settings.has("job") ? settings.getAsJsonObject("job") : new JsonObject();
        for (String kind : List.of("space", "strategy", "evaluator", "data", "execution")) {
            if (job.has(kind) && job.get(kind).isJsonObject() && job.getAsJsonObject(kind).has("type")) {
                summary.add(kind, job.getAsJsonObject(kind).get("type"));
            }
        }
        summary.addProperty("objective", RunRecord.objectives(folder).get(0).metric());
        // Counted from the lines as JSON: far cheaper than reading them as trials, for a list of every run.
        List<JsonObject> trials = trials(folder, 0);
        summary.addProperty("trials", trials.size());
        if (!trials.isEmpty() && trials.get(trials.size() - 1).has("phase")) {
            summary.add("phase", trials.get(trials.size() - 1).get("phase"));
        }
        JsonObject progress = RunRecord.progress(folder);
        for (String key : List.of("started", "updated", "ended", "activities")) {
            if (progress.has(key)) {
                summary.add(key, progress.get(key));
            }
        }
        result(folder).filter(r -> r.has("best")).ifPresent(r -> summary.add("best", r.get("best")));
        return summary;
    }

    /** @return the settings the run recorded ({@code job.conf}) as JSON */
    public JsonObject settings(Path folder) throws IOException {
        try {
            String json = ConfigFactory.parseFile(folder.resolve("job.conf").toFile()).resolve().root()
                    .render(ConfigRenderOptions.concise());
            return JsonParser.parseString(json).getAsJsonObject();
        } catch (ConfigException | JsonParseException e) {
            throw new IOException(folder.resolve("job.conf") + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** @return {@code result.json}, once the run wrote it whole */
    public Optional<JsonObject> result(Path folder) throws IOException {
        Path file = folder.resolve("result.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonParser.parseString(Files.readString(file)).getAsJsonObject());
        } catch (JsonParseException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** @return every run's summary */
    public JsonArray summaries() throws IOException {
        JsonArray runs = new JsonArray();
        for (String name : names()) {
            runs.add(summary(root.resolve(name)));
        }
        return runs;
    }
}
