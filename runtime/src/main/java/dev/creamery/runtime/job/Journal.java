package dev.creamery.runtime.job;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Evaluation;
import dev.creamery.api.Trial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's {@code trials.jsonl}: one trial per line, appended and forced to disk as each trial
 * ends, never rewritten. A line cut short by a kill is dropped when the journal is reopened.
 */
public final class Journal implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final List<Trial> trials;

    private Journal(Path file, FileChannel channel, List<Trial> trials) {
        this.file = file;
        this.channel = channel;
        this.trials = trials;
    }

    /**
     * Opens a journal for appending, reading the trials already in it.
     *
     * @param file the journal file (created if missing)
     * @return the journal
     * @throws IOException if it cannot be read or written
     */
    public static Journal open(Path file) throws IOException {
        List<Trial> trials = new ArrayList<>();
        long valid = 0;
        if (Files.exists(file)) {
            byte[] bytes = Files.readAllBytes(file);
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    String line = new String(bytes, start, i - start, StandardCharsets.UTF_8).trim();
                    if (!line.isEmpty()) {
                        trials.add(parse(file, line, trials.size() + 1));
                    }
                    start = i + 1;
                    valid = start;
                }
            }
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.truncate(valid);
        channel.position(valid);
        return new Journal(file, channel, trials);
    }

    /** @return the trials recorded so far, in order */
    public List<Trial> trials() {
        return List.copyOf(trials);
    }

    /**
     * Appends a trial and forces it to disk.
     *
     * @param trial the trial
     */
    public void append(Trial trial) {
        byte[] line = (toJson(trial) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
        trials.add(trial);
    }

    /**
     * @param trial a trial
     * @return its journal line (JSON, no newline)
     */
    public static String toJson(Trial trial) {
        JsonObject object = new JsonObject();
        object.addProperty("number", trial.number());
        object.addProperty("status", trial.status().name().toLowerCase(Locale.ROOT));
        object.addProperty("canonical", trial.architecture().canonical());
        object.add("architecture", trial.architecture().toJson());
        object.addProperty("params", trial.complexity().params());
        object.addProperty("flops", trial.complexity().flops());
        if (trial.ok()) {
            JsonObject metrics = new JsonObject();
            trial.evaluation().metrics().forEach(metrics::addProperty);
            object.add("metrics", metrics);
            object.addProperty("cost_seconds", trial.evaluation().costSeconds());
        } else {
            object.addProperty("message", trial.message());
        }
        return object.toString();
    }

    private static Trial parse(Path file, String line, int lineNumber) {
        try {
            JsonObject object = JsonParser.parseString(line).getAsJsonObject();
            Trial.Status status = Trial.Status.valueOf(object.get("status").getAsString().toUpperCase(Locale.ROOT));
            Complexity complexity = new Complexity(object.get("params").getAsLong(), object.get("flops").getAsLong());
            Architecture architecture = Architecture.fromJson(object.get("architecture"));
            Evaluation evaluation = null;
            String message = null;
            if (status == Trial.Status.OK) {
                Map<String, Double> metrics = new LinkedHashMap<>();
                for (Map.Entry<String, JsonElement> entry : object.getAsJsonObject("metrics").entrySet()) {
                    metrics.put(entry.getKey(), entry.getValue().getAsDouble());
                }
                evaluation = new Evaluation(metrics, object.get("cost_seconds").getAsDouble());
            } else {
                message = object.get("message").getAsString();
            }
            return new Trial(object.get("number").getAsInt(), architecture, complexity, status, evaluation, message);
        } catch (JsonParseException | IllegalStateException | NullPointerException | IllegalArgumentException
                | UnsupportedOperationException e) {
            throw new UncheckedIOException(new IOException(file + " line " + lineNumber + " is not a trial record ("
                    + e.getMessage() + "); the journal was edited or is from another version"));
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
