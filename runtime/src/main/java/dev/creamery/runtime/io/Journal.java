package dev.creamery.runtime.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Evaluation;
import dev.creamery.api.Trial;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * ends, never rewritten. A line cut short by a kill (the last, without its newline) is dropped
 * when the journal is reopened; an append that fails (disk full) is undone, so the file never
 * keeps half a line; a stop lets an append under way finish ({@link ShutdownGuard}). Any other
 * line that is not a trial is a {@link CorruptFileException} naming the file and the line. A
 * trial of a named phase of the search carries its phase ({@code "phase": "space-2"}); the main
 * search's trials carry none.
 */
public final class Journal implements AutoCloseable {
    /** The main search's phase. */
    public static final String MAIN = "";

    /** The longest line read: far more than any trial takes. */
    static final int MAX_LINE_BYTES = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private final List<Trial> trials;
    private final List<String> phases;
    private final long droppedBytes;

    private Journal(Path file, FileChannel channel, List<Trial> trials, List<String> phases, long droppedBytes) {
        this.file = file;
        this.channel = channel;
        this.trials = trials;
        this.phases = phases;
        this.droppedBytes = droppedBytes;
    }

    /**
     * One journal line, read.
     *
     * @param trial the trial
     * @param phase its phase ({@link #MAIN} for the main search)
     */
    public record Line(Trial trial, String phase) {}

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
        long size = Files.exists(file) ? Files.size(file) : 0;
        long valid = Files.exists(file) ? readInto(file, trials, phases) : 0;
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            channel.truncate(valid);
            channel.position(valid);
        } catch (IOException e) {
            channel.close();
            throw new OutputException(file, "cannot drop the line a stop cut short", e);
        }
        return new Journal(file, channel, trials, phases, size - valid);
    }

    /**
     * Reads a journal without opening it for writing (another run's, say); a line cut short is ignored.
     *
     * @param file the journal file
     * @return its trials, every phase, in order
     * @throws CorruptFileException if a whole line is not a trial
     * @throws IOException if it cannot be read
     */
    public static List<Trial> read(Path file) throws IOException {
        List<Trial> trials = new ArrayList<>();
        readInto(file, trials, new ArrayList<>());
        return trials;
    }

    /** Parses every complete line; returns the length of the complete lines in bytes. */
    private static long readInto(Path file, List<Trial> trials, List<String> phases) throws IOException {
        long valid = 0;
        int number = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b != '\n') {
                    if (line.size() == MAX_LINE_BYTES) {
                        throw notATrial(file, number + 1, "it is longer than " + MAX_LINE_BYTES + " bytes");
                    }
                    line.write(b);
                    continue;
                }
                number++;
                valid += line.size() + 1;
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (!text.isBlank()) {
                    Line parsed = parseLine(file, number, text);
                    trials.add(parsed.trial());
                    phases.add(parsed.phase());
                }
            }
        }
        return valid;
    }

    /**
     * Reads one whole line of a journal.
     *
     * @param file the journal, for messages
     * @param number the line's number, from 1
     * @param text the line, without its newline
     * @return the trial and its phase
     * @throws CorruptFileException if the line is not a trial record
     */
    public static Line parseLine(Path file, int number, String text) {
        JsonObject object;
        try {
            JsonElement element = JsonParser.parseString(text);
            if (!element.isJsonObject()) {
                throw notATrial(file, number, "it is not a JSON object");
            }
            object = element.getAsJsonObject();
        } catch (JsonParseException e) {
            throw notATrial(file, number, "it is not JSON: " + JsonProblems.describe(e));
        }
        Trial trial = parse(file, object, number);
        try {
            String phase = object.has("phase") ? object.get("phase").getAsString() : MAIN;
            return new Line(trial, phase);
        } catch (IllegalStateException | UnsupportedOperationException e) {
            throw notATrial(file, number, "its phase is not a string");
        }
    }

    /** @return how many bytes of a line cut short by a stop were dropped when the journal was opened (0: none) */
    public long droppedBytes() {
        return droppedBytes;
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
            ShutdownGuard.whole(() -> write(line));
        } catch (IOException e) {
            throw new OutputException(file, "cannot append trial " + trial.number(), e);
        }
        trials.add(trial);
        phases.add(phase);
    }

    /** Writes a whole line or, if that fails, nothing: what was written of it is cut off again. */
    private void write(byte[] line) throws IOException {
        long end = channel.position();
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            try {
                channel.truncate(end);
                channel.position(end);
                channel.force(false);
            } catch (IOException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
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
        object.add("architecture", ArchitectureJson.write(trial.architecture()));
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

    private static CorruptFileException notATrial(Path file, int lineNumber, String problem) {
        return new CorruptFileException(file, "line " + lineNumber + " is not a trial record (" + problem + ")",
                "the journal was edited or is from another version; restore that line, or start the run anew with --overwrite");
    }

    private static Trial parse(Path file, JsonObject object, int lineNumber) {
        try {
            String statusName = field(file, lineNumber, object, "status").getAsString();
            Trial.Status status;
            try {
                status = Trial.Status.valueOf(statusName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw notATrial(file, lineNumber, "its status '" + statusName + "' is not ok, failed or rejected");
            }
            Complexity complexity = new Complexity(field(file, lineNumber, object, "params").getAsLong(),
                    field(file, lineNumber, object, "flops").getAsLong());
            Architecture architecture = ArchitectureJson.read(field(file, lineNumber, object, "architecture"));
            Evaluation evaluation = null;
            String message = null;
            if (status == Trial.Status.OK) {
                Map<String, Double> metrics = new LinkedHashMap<>();
                for (Map.Entry<String, JsonElement> entry : field(file, lineNumber, object, "metrics").getAsJsonObject().entrySet()) {
                    metrics.put(entry.getKey(), entry.getValue().getAsDouble());
                }
                evaluation = new Evaluation(metrics, field(file, lineNumber, object, "cost_seconds").getAsDouble());
            } else {
                message = field(file, lineNumber, object, "message").getAsString();
            }
            return new Trial(field(file, lineNumber, object, "number").getAsInt(), architecture, complexity, status, evaluation, message);
        } catch (IllegalStateException | IllegalArgumentException | UnsupportedOperationException | ArithmeticException e) {
            // Gson's accessors on a value of the wrong kind, and the value types' own checks.
            throw notATrial(file, lineNumber, JsonProblems.describe(e));
        }
    }

    private static JsonElement field(Path file, int lineNumber, JsonObject object, String name) {
        JsonElement value = object.get(name);
        if (value == null || value.isJsonNull()) {
            throw notATrial(file, lineNumber, "it has no " + name);
        }
        return value;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
