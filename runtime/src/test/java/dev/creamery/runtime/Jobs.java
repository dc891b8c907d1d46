package dev.creamery.runtime;

import dev.creamery.runtime.job.JobLoader;
import dev.creamery.runtime.job.LoadedJob;
import dev.creamery.wiring.ComponentRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helpers: write a job file and load it with the class path's plugins. */
public final class Jobs {
    private static ComponentRegistry registry;

    private Jobs() {}

    /** @return the registry of the test class path (built once) */
    public static synchronized ComponentRegistry registry() {
        if (registry == null) {
            registry = ComponentRegistry.load(Jobs.class.getClassLoader());
        }
        return registry;
    }

    /**
     * @param folder where to write
     * @param name file name
     * @param text HOCON
     * @return the file
     */
    public static Path write(Path folder, String name, String text) {
        try {
            return Files.writeString(folder.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param file a job file
     * @param purpose what it is for
     * @param overrides --set values
     * @return the loaded job
     */
    public static LoadedJob load(Path file, JobLoader.Purpose purpose, String... overrides) {
        return new JobLoader(registry()).load(file, List.of(overrides), purpose);
    }

    /** A tiny but real search: a convnet supernet on synthetic data, evolution over it. */
    public static final String TINY_SEARCH = """
            job {
              name = tiny
              seed = 3
              compute { device = cpu, threads = 1 }
              data { type = synthetic, size = 8, classes = 4, train-size = 256, validation-size = 64, test-size = 64 }
              space { type = convnet, depths = [1, 2], widths = [4, 8], kernels = [1, 3], stem = 4 }
              evaluator { type = one-shot, supernet { epochs = 2, batch-size = 32, lr = 3e-3, warmup-epochs = 0 } }
              strategy { type = evolution, population = 4, generations = 2, parents = 2, mutations = 2, crossovers = 1 }
              finalize { retrain { epochs = 1, batch-size = 32, warmup-epochs = 0 } }
            }
            """;
}
