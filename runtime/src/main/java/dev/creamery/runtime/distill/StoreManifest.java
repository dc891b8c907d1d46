package dev.creamery.runtime.distill;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.creamery.api.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a logit store was filled for ({@code manifest.json} in its folder): the teacher, k, the data
 * and augmentation, the seed. Soft labels are only valid for the job that matches all of it.
 *
 * @param format the store format, {@value #FORMAT}
 * @param teacher the teacher as the job named it (for people; not compared)
 * @param teacherArchitecture the teacher's architecture, canonical form
 * @param teacherWeightsSha256 the SHA-256 of the teacher's weights file, hex
 * @param topK classes kept per example
 * @param classes classes of the data
 * @param trainSize examples of the training split, one record each per epoch
 * @param seed the job seed the augmentation seeds derive from
 * @param data the job's data settings (type, files, splits, normalisation, augmentation) as JSON
 */
public record StoreManifest(String format, String teacher, String teacherArchitecture, String teacherWeightsSha256, int topK,
        int classes, int trainSize, long seed, String data) {
    /** The format this version writes and reads. */
    public static final String FORMAT = "creamery-logits-1";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_DASHES).disableHtmlEscaping().create();

    /**
     * @param other the manifest a job expects
     * @return one line per setting that differs, empty if the store fits the job
     */
    public List<String> differences(StoreManifest other) {
        List<String> differences = new ArrayList<>();
        compare(differences, "format", format, other.format);
        compare(differences, "teacher architecture", teacherArchitecture, other.teacherArchitecture);
        compare(differences, "teacher weights (SHA-256)", teacherWeightsSha256, other.teacherWeightsSha256);
        compare(differences, "top-k", topK, other.topK);
        compare(differences, "classes", classes, other.classes);
        compare(differences, "training examples", trainSize, other.trainSize);
        compare(differences, "seed", seed, other.seed);
        compare(differences, "data settings", data, other.data);
        return differences;
    }

    private static void compare(List<String> differences, String what, Object stored, Object expected) {
        if (!Objects.equals(stored, expected)) {
            differences.add(what + ": the store has " + stored + ", the job " + expected);
        }
    }

    /**
     * @param file where to write
     * @throws IOException if it cannot be written
     */
    void write(Path file) throws IOException {
        Files.writeString(file, GSON.toJson(this) + "\n", StandardCharsets.UTF_8);
    }

    /**
     * @param file a manifest
     * @return it
     * @throws DataException if it cannot be read or parsed
     */
    static StoreManifest read(Path file) {
        try {
            StoreManifest manifest = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), StoreManifest.class);
            if (manifest == null || manifest.format == null) {
                throw new JsonParseException("no format");
            }
            return manifest;
        } catch (IOException | JsonParseException e) {
            throw new DataException("cannot read the logit store's manifest " + file + " (" + e.getMessage()
                    + "); delete the store folder and save the logits again", e);
        }
    }
}
