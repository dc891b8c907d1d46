package dev.creamery.runtime.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Task;
import dev.creamery.runtime.io.ArchitectureJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code model.json} records beside exported weights, so that {@code creamery predict} can
 * rebuild the network: what builds it (a search space's type and settings, or a model family's
 * name), the architecture, the task, and the input normalisation of the data it was trained on.
 *
 * @param family the model family that builds it, or null if a space does
 * @param space the space's effective config ({@code type} plus settings), or null if a family does
 * @param architecture the member
 * @param task the input shape and classes
 * @param complexity parameters and FLOPs
 * @param mean per-channel input mean (empty if the data set has none)
 * @param std per-channel input standard deviation (empty if the data set has none)
 */
public record ModelDescription(String family, Config space, Architecture architecture, Task task, Complexity complexity, List<Double> mean,
        List<Double> std) {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    /** The format tag written into every file. */
    public static final String FORMAT = "creamery-model/1";

    /** Checks exactly one of family and space is given. */
    public ModelDescription {
        if ((family == null) == (space == null)) {
            throw new IllegalArgumentException("a model description names either a family or a space");
        }
    }

    /**
     * @param file where to write (atomically)
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        JsonObject json = new JsonObject();
        json.addProperty("format", FORMAT);
        if (family != null) {
            json.addProperty("family", family);
        } else {
            json.add("space", JsonParser.parseString(space.root().render(ConfigRenderOptions.concise())));
        }
        json.add("architecture", ArchitectureJson.write(architecture));
        json.addProperty("canonical", architecture.canonical());
        JsonObject taskJson = new JsonObject();
        taskJson.addProperty("channels", task.channels());
        taskJson.addProperty("height", task.height());
        taskJson.addProperty("width", task.width());
        taskJson.addProperty("classes", task.classes());
        JsonArray names = new JsonArray();
        task.classNames().forEach(names::add);
        taskJson.add("class_names", names);
        json.add("task", taskJson);
        json.addProperty("params", complexity.params());
        json.addProperty("flops", complexity.flops());
        JsonObject normalization = new JsonObject();
        JsonArray meanJson = new JsonArray();
        mean.forEach(meanJson::add);
        JsonArray stdJson = new JsonArray();
        std.forEach(stdJson::add);
        normalization.add("mean", meanJson);
        normalization.add("std", stdJson);
        json.add("normalization", normalization);
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "model", ".json.part");
        Files.writeString(temp, GSON.toJson(json), StandardCharsets.UTF_8);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * @param file a {@code model.json}
     * @return its content
     * @throws IOException if it cannot be read or is not a model description
     */
    public static ModelDescription read(Path file) throws IOException {
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            if (!json.has("format") || !FORMAT.equals(json.get("format").getAsString())) {
                throw new IOException(file + " is not a creamery model description (format " + FORMAT + ")");
            }
            JsonObject taskJson = json.getAsJsonObject("task");
            List<String> classNames = new ArrayList<>();
            taskJson.getAsJsonArray("class_names").forEach(e -> classNames.add(e.getAsString()));
            Task task = new Task(taskJson.get("channels").getAsInt(), taskJson.get("height").getAsInt(),
                    taskJson.get("width").getAsInt(), taskJson.get("classes").getAsInt(), classNames);
            JsonObject normalization = json.getAsJsonObject("normalization");
            return new ModelDescription(json.has("family") ? json.get("family").getAsString() : null,
                    json.has("space") ? ConfigFactory.parseString(json.get("space").toString()) : null,
                    ArchitectureJson.read(json.get("architecture")), task,
                    new Complexity(json.get("params").getAsLong(), json.get("flops").getAsLong()),
                    doubles(normalization.getAsJsonArray("mean")), doubles(normalization.getAsJsonArray("std")));
        } catch (IllegalStateException | NullPointerException | UnsupportedOperationException
                | com.google.gson.JsonParseException e) {
            throw new IOException(file + " is not a readable model description: " + e.getMessage(), e);
        }
    }

    private static List<Double> doubles(JsonArray array) {
        List<Double> values = new ArrayList<>();
        for (JsonElement element : array) {
            values.add(element.getAsDouble());
        }
        return values;
    }
}
