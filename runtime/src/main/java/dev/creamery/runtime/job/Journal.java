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
 * ends, never rewritten. A line cut short by a kill is dropped when the journal is reopened. A
 * trial of a named phase of the search carries its phase ({@code "phase": "space-2"}); the main
 * search's trials carry none.
 */
public final class Journal implements AutoCloseable {
    /** The main search's phase. */
    public static final String MAIN = "";

    private final Path file;
    private final FileChannel channel;
    private final List<Trial> trials;
    private final List<String> phases;

    private Journal(Path file, FileChannel channel, List<Trial> trials, List<String> phases) {
        this.file = file;
        this.channel = channel;
        this.trials = trials;
        this.phases = phases;
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
        List<String> phases = new ArrayList<>();
        long valid = Files.exists(file) ? readInto(file, trials, phases) : 0;
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.truncate(valid);
        channel.position(valid);
        return new Journal(file, channel, trials, phases);
    }

    /**
     * Reads a journal without opening it for writing (another run's, say); a line cut short is ignored.
     *
     * @param file the journal file
     * @return its trials, every phase, in order
     * @throws IOException if it cannot be read
     */
    public static List<Trial> read(Path file) throws IOException {
        List<Trial> trials = new ArrayList<>();
        readInto(file, trials, new ArrayList<>());
        return trials;
    }

    /** Parses every complete line; returns the length of the complete lines in bytes. */
    private static long readInto(Path file, List<Trial> trials, List<String> phases) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long valid = 0;
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                String line = new String(bytes, start, i - start, StandardCharsets.UTF_8).trim();
                if (!line.isEmpty()) {
                    JsonObject object = parseObject(file, line, trials.size() + 1);
                    trials.add(parse(file, object, trials.size() + 1));
                    phases.add(object.has("phase") ? object.get("phase").getAsString() : MAIN);
                }
                start = i + 1;
                valid = start;
            }
        }
        return valid;
    }

    /** @return the trials recorded so far, every phase, in order */
    public List<Trial> trials() {
        return List.copyOf(trials);
    }

    /**
     * @param phase a phase name ({@link #MAIN} for the main search)
     * @return the trials of that phase recorded so far, in order
     */
    public List<Trial> trials(String phase) {
        List<Trial> selected = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++) {
            if (phases.get(i).equals(phase)) {
                selected.add(trials.get(i));
            }
        }
        return selected;
    }

    /**
     * Appends a trial of the main search and forces it to disk.
     *
     * @param trial the trial
     */
    public void append(Trial trial) {
        append(MAIN, trial);
    }

    /**
     * Appends a trial and forces it to disk.
     *
     * @param phase the phase it belongs to ({@link #MAIN} for the main search)
     * @param trial the trial
     */
    public void append(String phase, Trial trial) {
        JsonObject object = toJsonObject(trial);
        if (!phase.equals(MAIN)) {
            object.addProperty("phase", phase);
        }
        byte[] line = (object + "\n").getBytes(StandardCharsets.UTF_8);
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
        phases.add(phase);
    }

    /**
     * @param trial a trial
     * @return its journal line (JSON, no newline)
     */
    public static String toJson(Trial trial) {
        return toJsonObject(trial).toString();
    }

    private static JsonObject toJsonObject(Trial trial) {
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
        return object;
    }

    private static JsonObject parseObject(Path file, String line, int lineNumber) {
        try {
            return JsonParser.parseString(line).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw notATrial(file, lineNumber, e);
        }
    }

    private static UncheckedIOException notATrial(Path file, int lineNumber, RuntimeException e) {
        return new UncheckedIOException(new IOException(file + " line " + lineNumber + " is not a trial record ("
                + e.getMessage() + "); the journal was edited or is from another version"));
    }

    private static Trial parse(Path file, JsonObject object, int lineNumber) {
        try {
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
            throw notATrial(file, lineNumber, e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
