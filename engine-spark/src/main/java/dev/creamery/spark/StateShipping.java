package dev.creamery.spark;

import dev.creamery.api.TrialExecutor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Gets the evaluator's folder (a trained supernet's checkpoint) to the workers: executors that are
 * threads of the driver read it where it is; others get it as a zip archive that Spark unpacks once
 * per executor. A folder whose files have not changed is not shipped again.
 */
final class StateShipping implements AutoCloseable {
    private final JavaSparkContext spark;
    private final Map<String, String> shipped = new HashMap<>();
    private final List<Path> archives = new ArrayList<>();

    StateShipping(JavaSparkContext spark) {
        this.spark = spark;
    }

    /** @return where tasks find the folder: its path (local master), its archive's name, or null if there is none */
    String ship(TrialExecutor.Remote remote) {
        Optional<Path> folder = remote.state();
        if (folder.isEmpty() || !Files.isDirectory(folder.get())) {
            return null;
        }
        if (spark.isLocal()) {
            return folder.get().toAbsolutePath().toString();
        }
        try {
            List<Path> files = files(folder.get());
            String stamp = stamp(folder.get(), files);
            String name = shipped.get(stamp);
            if (name == null) {
                Path archive = Files.createTempFile("creamery-state-" + stamp.substring(0, 12) + "-", ".zip");
                archives.add(archive);
                try (OutputStream out = Files.newOutputStream(archive); ZipOutputStream zip = new ZipOutputStream(out)) {
                    for (Path file : files) {
                        zip.putNextEntry(new ZipEntry(folder.get().relativize(file).toString().replace('\\', '/')));
                        Files.copy(file, zip);
                        zip.closeEntry();
                    }
                }
                spark.sc().addArchive(archive.toString());
                name = archive.getFileName().toString();
                shipped.put(stamp, name);
            }
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot ship " + folder.get() + " to the Spark executors: " + e.getMessage(), e);
        }
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The folder's files, sizes and modification times, hashed: what decides whether it changed. */
    private static String stamp(Path folder, List<Path> files) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                digest.update((folder.relativize(file) + "\t" + Files.size(file) + "\t" + Files.getLastModifiedTime(file).toMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (Path archive : archives) {
            try {
                Files.deleteIfExists(archive);
            } catch (IOException e) {
                // A temporary archive left behind is harmless.
            }
        }
    }
}
