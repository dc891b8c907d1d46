package dev.creamery.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.LoggerFactory;

/**
 * The engine check's verdicts on disk, one small properties file per CPU and engine version, in
 * {@code $XDG_CACHE_HOME/creamery} (by default {@code ~/.cache/creamery}). The file name hashes
 * everything the verdict depends on: the CPU as {@code /proc/cpuinfo} describes it (model, stepping,
 * microcode, instruction-set flags), the PyTorch natives, the catalogues of convolutions and this
 * check's own version; any change gives a new file and a new check.
 */
final class VerdictCache {
    /** Raised whenever what the check measures or how it decides changes. */
    private static final int CHECK_VERSION = 2;

    private final Path file;
    private final String cpu;

    private VerdictCache(Path file, String cpu) {
        this.file = file;
        this.cpu = cpu;
    }

    /** @return the cache entry of this machine's CPU and engine in the user's cache folder */
    static VerdictCache forThisMachine() {
        return in(directory());
    }

    /**
     * @param directory the folder of the cache
     * @return the entry of this machine's CPU and engine in that folder
     */
    static VerdictCache in(Path directory) {
        String cpu = cpuIdentity();
        String key = "check " + CHECK_VERSION + "\n" + cpu + "\n" + resource("/native/lib/pytorch.properties") + "\n"
                + String.join("\n", ConvolutionProbe.catalogueTexts().stream().sorted().toList());
        return new VerdictCache(directory.resolve("engine-check-" + sha256(key).substring(0, 16) + ".properties"), modelName(cpu));
    }

    /** @return the file of this entry */
    Path file() {
        return file;
    }

    /** @return the verdict recorded for this CPU and engine, if any */
    Optional<Verdict> read() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
            String setting = p.getProperty("setting");
            return Optional.of(new Verdict(setting.equals("none") ? null : ConvolutionSetting.valueOf(setting), Verdict.Source.CACHED,
                    Integer.parseInt(p.getProperty("checked")), Double.parseDouble(p.getProperty("error-at-default")),
                    p.getProperty("where-at-default", "")));
        } catch (IOException | RuntimeException e) {
            // An unreadable entry is checked again and replaced.
            return Optional.empty();
        }
    }

    /**
     * Records a verdict (atomically, so that a second process never reads half a file); a cache that
     * cannot be written only means the check runs again next time.
     *
     * @param verdict the verdict
     */
    void write(Verdict verdict) {
        Properties p = new Properties();
        p.setProperty("setting", verdict.setting() == null ? "none" : verdict.setting().name());
        p.setProperty("checked", Integer.toString(verdict.checked()));
        p.setProperty("error-at-default", Double.toString(verdict.errorAtDefault()));
        p.setProperty("where-at-default", verdict.whereAtDefault());
        p.setProperty("cpu", cpu);
        p.setProperty("engine", resource("/native/lib/pytorch.properties").replace('\n', ' ').trim());
        p.setProperty("date", Instant.now().toString());
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                p.store(writer, "Creamery's engine check: how this CPU computes float32 convolutions correctly (docs/running.md)");
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LoggerFactory.getLogger(VerdictCache.class).warn("cannot record the engine check in {} ({}); it will run again next time", file, e.toString());
        }
    }

    private static Path directory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("creamery");
    }

    /** @return the lines of the first processor in /proc/cpuinfo that name the CPU and what it can execute */
    private static String cpuIdentity() {
        StringBuilder identity = new StringBuilder(System.getProperty("os.arch"));
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    break;
                }
                String name = line.split(":", 2)[0].trim();
                if (name.equals("vendor_id") || name.equals("cpu family") || name.equals("model") || name.equals("model name")
                        || name.equals("stepping") || name.equals("microcode") || name.equals("flags")) {
                    identity.append('\n').append(line.trim());
                }
            }
        } catch (IOException e) {
            identity.append('\n').append(System.getProperty("os.name")).append(' ').append(Runtime.getRuntime().availableProcessors());
        }
        return identity.toString();
    }

    private static String modelName(String identity) {
        return identity.lines().filter(l -> l.startsWith("model name")).map(l -> l.split(":", 2)[1].trim()).findFirst()
                .orElse(System.getProperty("os.arch"));
    }

    private static String resource(String name) {
        try (InputStream in = VerdictCache.class.getResourceAsStream(name)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
