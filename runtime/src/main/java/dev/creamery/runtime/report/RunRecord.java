package dev.creamery.runtime.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.creamery.api.Objective;
import dev.creamery.runtime.io.CorruptFileException;
import dev.creamery.runtime.io.Journal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a run folder holds, read without writing and while the run may be writing: the journal's
 * whole lines (a last line still being written waits for its newline), the objectives, the epochs of
 * every checkpointed training, and the live progress ({@code progress.json}).
 *
 * @param name the run's name (its folder's)
 * @param lines the journal's whole lines, in order (a damaged line is left out: the run reports it on resume)
 * @param objectives the job's objectives, the first deciding the best
 * @param trainings by training (its checkpoint's path in the folder, e.g. {@code evaluator/supernet}),
 *     its epochs: epoch, loss, accuracy, validationAccuracy, lr, seconds
 * @param progress the run's last {@code progress.json}, or an empty object
 */
public record RunRecord(String name, List<Journal.Line> lines, List<Objective> objectives, Map<String, JsonArray> trainings,
        JsonObject progress) {
    /** The readable copy of a training's checkpoint (the training loop writes it beside the tensors). */
    private static final String CHECKPOINT = ".checkpoint.json";

    /** @return the run folder's record as it is now */
    public static RunRecord read(Path folder) throws IOException {
        return new RunRecord(folder.getFileName().toString(), lines(folder), objectives(folder), trainings(folder), progress(folder));
    }

    /** @return the first objective */
    public Objective primary() {
        return objectives.get(0);
    }

    /**
     * @param since how many lines the caller has
     * @return the journal's whole lines after the first {@code since}, each as its text
     */
    public static List<String> journalText(Path folder, int since) throws IOException {
        List<String> lines = new Tail(folder).next();
        return since >= lines.size() ? List.of() : lines.subList(since, lines.size());
    }

    /**
     * A journal read as it grows: each {@link #next} reads only the bytes after the last whole line
     * it returned, so following a long run costs what the run appends, not the whole journal. Only
     * lines the run finished writing (ended by a newline) are whole.
     */
    public static final class Tail {
        private final Path journal;
        private long offset;

        /** @param folder a run folder */
        public Tail(Path folder) {
            this.journal = folder.resolve("trials.jsonl");
        }

        /** @return the whole lines appended since the last call, each as its text */
        public List<String> next() throws IOException {
            if (!Files.isRegularFile(journal)) {
                return List.of();
            }
            byte[] bytes;
            try (FileChannel channel = FileChannel.open(journal)) {
                long size = channel.size();
                if (size <= offset) {
                    return List.of();
                }
                ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size - offset, Integer.MAX_VALUE - 8));
                while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                    // Reads until the buffer is full or the file ends.
                }
                bytes = buffer.array();
            }
            List<String> lines = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    lines.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            offset += start;
            return lines;
        }
    }

    /** @return the journal's whole lines as trials, in order (a damaged line is left out) */
    public static List<Journal.Line> lines(Path folder) throws IOException {
        List<Journal.Line> lines = new ArrayList<>();
        List<String> text = journalText(folder, 0);
        for (int i = 0; i < text.size(); i++) {
            try {
                lines.add(Journal.parseLine(folder.resolve("trials.jsonl"), i + 1, text.get(i)));
            } catch (CorruptFileException e) {
                // Reported by the run itself when it resumes; a view shows the rest.
            }
        }
        return lines;
    }

    /** @return the job's objectives, as its {@code job.conf} records them (validation accuracy if it names none) */
    public static List<Objective> objectives(Path folder) {
        try {
            Config job = ConfigFactory.parseFile(folder.resolve("job.conf").toFile()).resolve();
            if (job.hasPath("job.objectives")) {
                List<Objective> objectives = new ArrayList<>();
                for (Config objective : job.getConfigList("job.objectives")) {
                    objectives.add(new Objective(objective.getString("metric"),
                            Objective.Goal.valueOf(objective.getString("goal").toUpperCase(Locale.ROOT))));
                }
                if (!objectives.isEmpty()) {
                    return objectives;
                }
            }
        } catch (ConfigException | IllegalArgumentException e) {
            // The run itself validated its settings; a folder edited since is shown by accuracy.
        }
        return List.of(Objective.ACCURACY);
    }

    /** @return by training, its epochs so far, from the readable copy each checkpoint keeps beside its tensors */
    public static Map<String, JsonArray> trainings(Path folder) throws IOException {
        Map<String, JsonArray> trainings = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return trainings;
        }
        try (Stream<Path> files = Files.walk(folder, 3)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(CHECKPOINT)).sorted().toList()) {
                String relative = folder.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                readObject(file).filter(c -> c.has("epochs") && c.get("epochs").isJsonArray())
                        .ifPresent(c -> trainings.put(relative.substring(0, relative.length() - CHECKPOINT.length()), c.getAsJsonArray("epochs")));
            }
        }
        return trainings;
    }

    /** @return the run's live progress, or an empty object before the run wrote any */
    public static JsonObject progress(Path folder) {
        return readObject(folder.resolve("progress.json")).orElseGet(JsonObject::new);
    }

    private static Optional<JsonObject> readObject(Path file) {
        try {
            return Optional.of(JsonParser.parseString(Files.readString(file)).getAsJsonObject());
        } catch (IOException | JsonParseException | IllegalStateException e) {
            // Missing, or replaced while it was read: the next read has it whole.
            return Optional.empty();
        }
    }
}
