package dev.creamery.spark;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;

/**
 * What executors on other machines need from the driver: the job's code (the driver's class path —
 * the runtime, its dependencies and the plugin jars — and this module's jar, which Spark serves to
 * every executor) and the launcher's settings of the engine and the allocator.
 */
final class Workers {
    /** The allocator settings of the launcher (distribution/src/bin/creamery says why), passed to executors. */
    private static final List<String> ENVIRONMENT = List.of("MALLOC_ARENA_MAX", "MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_",
            "MALLOC_TOP_PAD_", "DJL_OFFLINE");

    private Workers() {}

    /**
     * Adds the jars to ship to those named already (spark-submit's {@code --jars}), and sets the
     * executors' JVM options and environment where the user did not.
     */
    static void configure(SparkConf conf) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String jar : conf.get("spark.jars", "").split(",")) {
            if (!jar.isBlank()) {
                byName.put(fileName(jar), jar);
            }
        }
        // Under spark-submit the driver's class path is Spark's own, and the job's code comes with --jars.
        List<String> ours = Boolean.getBoolean("SPARK_SUBMIT") ? List.of(moduleJar().toString()) : jars();
        for (String jar : ours) {
            byName.putIfAbsent(fileName(jar), jar);
        }
        conf.set("spark.jars", String.join(",", byName.values()));
        String options = conf.get("spark.executor.extraJavaOptions", "");
        if (!options.contains("ai.djl.offline")) {
            // The PyTorch natives come from the shipped jar; executors must not try to download them.
            conf.set("spark.executor.extraJavaOptions", (options + " -Dai.djl.offline=" + System.getProperty("ai.djl.offline", "true")).trim());
        }
        for (String name : ENVIRONMENT) {
            String value = System.getenv(name);
            if (value != null && !conf.contains("spark.executorEnv." + name)) {
                conf.setExecutorEnv(name, value);
            }
        }
    }

    /**
     * @return the driver's class path (with this module's jar when it sits in a loader of its own,
     *     as in the distribution), class folders packed into jars, as the paths Spark ships
     */
    static List<String> jars() {
        Set<Path> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank() && Files.exists(Path.of(entry))) {
                entries.add(Path.of(entry).toAbsolutePath());
            }
        }
        entries.add(moduleJar());
        List<String> jars = new ArrayList<>();
        for (Path entry : entries) {
            jars.add(Files.isDirectory(entry) ? pack(entry).toString() : entry.toString());
        }
        return jars;
    }

    /** Spark names a shipped jar by its file name: one name, one jar. */
    private static String fileName(String jar) {
        return jar.substring(jar.lastIndexOf('/') + 1);
    }

    private static Path moduleJar() {
        try {
            return Path.of(SparkExecutor.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the engine-spark jar: " + e.getMessage(), e);
        }
    }

    /** Class folders (a build's target/classes) reach executors as jars: Spark ships files, not folders. */
    private static Path pack(Path folder) {
        try {
            Path jar = Files.createTempFile("creamery-classes-", ".jar");
            jar.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
                    Stream<Path> files = Files.walk(folder)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    zip.putNextEntry(new JarEntry(folder.relativize(file).toString().replace(File.separatorChar, '/')));
                    Files.copy(file, zip);
                    zip.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + folder + " into a jar for the Spark executors: " + e.getMessage(), e);
        }
    }
}
