package dev.creamery.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.creamery.api.Architecture;
import dev.creamery.api.DataException;
import dev.creamery.api.TrialExecutor;
import dev.creamery.runtime.Jobs;
import dev.creamery.runtime.cli.ConsoleProgress;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search's evaluations as another JVM gets them: serialised, rebuilt from the job's settings,
 * they evaluate an architecture exactly as the driver does; a worker that cannot read the data says
 * which worker and why before any trial.
 */
class RemoteTrialsTest {
    private static final String JOB = """
            job {
              name = remote
              seed = 9
              compute { device = cpu, threads = 1 }
              data { type = synthetic, size = 8, classes = 4, train-size = 128, validation-size = 64, test-size = 64 }
              space { type = convnet, depths = [1, 2], widths = [4, 8], kernels = [1, 3], stem = 4 }
              evaluator { type = train, training { epochs = 1, batch-size = 32, lr = 3e-3, warmup-epochs = 0 } }
              strategy { type = random, trials = 2 }
            }
            """;

    @TempDir
    Path dir;

    private static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            @SuppressWarnings("unchecked")
            T read = (T) in.readObject();
            return read;
        }
    }

    @Test
    void aRebuiltJobEvaluatesAsTheDriverDoes() throws Exception {
        LoadedJob job = Jobs.load(Jobs.write(dir, "remote.conf", JOB), JobLoader.Purpose.SEARCH);
        Architecture architecture = Architecture.of("depth", 2, "width", java.util.List.of(8, 4), "kernel", java.util.List.of(3, 1));
        TrialExecutor.Outcome here;
        try (NDManager root = NDManager.newBaseManager()) {
            RunEvaluationContext context = new RunEvaluationContext(job.settings().data(), root, job.settings().seed(),
                    new ConsoleProgress(System.err, Duration.ofMinutes(1)), Files.createDirectories(dir.resolve("evaluator")));
            job.settings().evaluator().prepare(job.settings().space(), context);
            here = RunSearchContext.measure(job.settings().space(), job.settings().evaluator(), context, null, architecture);
        }
        RemoteTrials remote = new RemoteTrials(job.render(), dir.resolve("evaluator"));
        TrialExecutor.Remote sent = roundTrip(remote);
        TrialExecutor.Outcome there = roundTrip(sent.evaluate(roundTrip(architecture), dir.resolve("evaluator"), 1));
        remote.forget();

        assertThat(there.architecture()).isEqualTo(architecture);
        assertThat(there.evaluation().metrics()).isEqualTo(here.evaluation().metrics());
        assertThat(there.evaluation().metrics().get("accuracy")).isBetween(0.0, 1.0);
    }

    @Test
    void aWorkerThatCannotReadTheDataSaysSoBeforeAnyTrial() {
        // Loading a job does not read its data: the driver's settings may name a folder a worker lacks.
        Path missing = dir.resolve("not-on-this-worker");
        String job = JOB.replaceFirst("data \\{[^}]*}", "data { type = fashion-mnist, folder = \"" + missing + "\" }");
        RemoteTrials remote = new RemoteTrials(Jobs.load(Jobs.write(dir, "remote.conf", job), JobLoader.Purpose.SEARCH).render(),
                dir.resolve("evaluator"));

        assertThatThrownBy(() -> remote.check(null, 1)).isInstanceOf(DataException.class)
                .hasMessageStartingWith("worker ").hasMessageContaining(missing.toString())
                .hasMessageEndingWith("data sets reach workers by path, so it must be readable at that path on every worker "
                        + "(shared storage), or use a data set every worker has");
    }
}
