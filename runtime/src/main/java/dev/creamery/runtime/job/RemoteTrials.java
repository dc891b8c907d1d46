package dev.creamery.runtime.job;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.creamery.api.Architecture;
import dev.creamery.api.DataException;
import dev.creamery.api.Progress;
import dev.creamery.api.Dimension;
import dev.creamery.api.Evaluator;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Split;
import dev.creamery.api.Subspace;
import dev.creamery.api.TrialExecutor;
import dev.creamery.runtime.train.Engines;
import dev.creamery.wiring.ComponentRegistry;
import dev.creamery.wiring.InvalidConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A run's evaluations as a worker JVM runs them. It carries the job's effective settings, the
 * driver's evaluator folder (shipped to the worker by the executor) and the spaces the driver's
 * evaluator was prepared for, in order; a worker rebuilds the job from them (plugins from its own
 * class path, data by path), copies the folder, and prepares the evaluator the same way, which
 * finds every supernet checkpoint finished and loads it instead of training. What it rebuilt is kept
 * for the next task: one per task slot that ran a trial of this run, not one per task.
 */
public final class RemoteTrials implements TrialExecutor.Remote {
    private static final long serialVersionUID = 1L;
    /** Jobs rebuilt in this JVM and idle, by run and phase. */
    private static final Map<String, Deque<Rebuilt>> IDLE = new HashMap<>();

    private final String run;
    private final String job;
    private final String state;
    /** Each space the driver's evaluator was prepared for after the job's own, by its candidates. */
    private final List<Map<String, List<Object>>> phases;
    /** The driver's list of those spaces, which later phases extend (not sent). */
    private final transient List<Map<String, List<Object>>> prepared;

    /**
     * @param job the job's effective settings, as the run folder's {@code job.conf} holds them
     * @param state the driver's evaluator folder
     */
    RemoteTrials(String job, Path state) {
        this(UUID.randomUUID().toString(), evaluatedHere(job), state.toAbsolutePath().toString(), List.of(), new ArrayList<>());
    }

    /** A worker evaluates in its own process, whatever executor sent it the work (and whether or not its class path has that executor). */
    private static String evaluatedHere(String job) {
        return ConfigFactory.parseString(job).withValue("job.execution", ConfigValueFactory.fromMap(Map.of("type", "in-process")))
                .root().render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false));
    }

    private RemoteTrials(String run, String job, String state, List<Map<String, List<Object>>> phases,
            List<Map<String, List<Object>>> prepared) {
        this.run = run;
        this.job = job;
        this.state = state;
        this.phases = phases;
        this.prepared = prepared;
    }

    /**
     * @param space the space the driver's evaluator has just been prepared for (a phase)
     * @return these evaluations in that phase, or null if a worker could not rebuild its space (it
     *     is not a narrowed view of the job's space)
     */
    RemoteTrials phase(SearchSpace space) {
        if (!(space instanceof Subspace)) {
            return null;
        }
        Map<String, List<Object>> candidates = new LinkedHashMap<>();
        for (Dimension dimension : space.dimensions()) {
            candidates.put(dimension.name(), new ArrayList<>(dimension.candidates()));
        }
        prepared.add(candidates);
        return new RemoteTrials(run, job, state, List.copyOf(prepared), prepared);
    }

    @Override
    public Optional<Path> state() {
        return Optional.of(Path.of(state));
    }

    @Override
    public void check(Path stateCopy, int threads) {
        release(acquire(stateCopy, threads));
    }

    @Override
    public TrialExecutor.Outcome evaluate(Architecture architecture, Path stateCopy, int threads) {
        Rebuilt rebuilt = acquire(stateCopy, threads);
        try {
            // PyTorch records gradients in a new thread (an executor's task thread) until told not to;
            // the engine expects them off outside a training step, as they are on the driver's thread.
            return Engines.withoutGradients(
                    () -> RunSearchContext.measure(rebuilt.space, rebuilt.evaluator, rebuilt.context, rebuilt.latency, architecture));
        } finally {
            release(rebuilt);
        }
    }

    /** Closes what this JVM rebuilt for a run (a run whose workers were threads of the driver). */
    void forget() {
        takeIdle(key -> true).forEach(Rebuilt::close);
    }

    /** @return the idle jobs this JVM rebuilt for this run under the keys {@code which} accepts, out of the pool */
    private List<Rebuilt> takeIdle(Predicate<String> which) {
        List<Rebuilt> taken = new ArrayList<>();
        synchronized (IDLE) {
            for (Iterator<Map.Entry<String, Deque<Rebuilt>>> it = IDLE.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                if (entry.getKey().startsWith(run + "#") && which.test(entry.getKey())) {
                    taken.addAll(entry.getValue());
                    it.remove();
                }
            }
        }
        return taken;
    }

    private String key() {
        return run + "#" + phases.size();
    }

    private Rebuilt acquire(Path stateCopy, int threads) {
        // A later phase replaces the earlier ones: their supernets will not be asked again.
        takeIdle(key -> !key.equals(key())).forEach(Rebuilt::close);
        Rebuilt idle;
        synchronized (IDLE) {
            Deque<Rebuilt> pool = IDLE.get(key());
            idle = pool == null ? null : pool.poll();
        }
        if (Engines.threads() != threads) {
            Engines.threads(threads);
        }
        // A task thread records gradients until told not to (see evaluate); preparing needs none.
        return idle != null ? idle : Engines.withoutGradients(() -> rebuild(stateCopy));
    }

    private void release(Rebuilt rebuilt) {
        synchronized (IDLE) {
            IDLE.computeIfAbsent(key(), k -> new ArrayDeque<>()).push(rebuilt);
        }
    }

    private Rebuilt rebuild(Path stateCopy) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("creamery-worker-");
        } catch (IOException e) {
            throw new UncheckedIOException(problem("cannot make a scratch folder: " + e.getMessage()), e);
        }
        try {
            Path file = scratch.resolve("job.conf");
            Files.writeString(file, job, StandardCharsets.UTF_8);
            JobSettings settings = new JobLoader(ComponentRegistry.load(RemoteTrials.class.getClassLoader()))
                    .load(file, List.of(), JobLoader.Purpose.SEARCH).settings();
            settings.data().split(Split.TRAIN);
            Path directory = Files.createDirectories(scratch.resolve("evaluator"));
            if (stateCopy != null && Files.isDirectory(stateCopy)) {
                copy(stateCopy, directory);
            }
            Engines.seed(settings.seed());
            NDManager root = NDManager.newBaseManager(Engines.device(settings.compute().device()));
            RunEvaluationContext context = new RunEvaluationContext(settings.data(), root, settings.seed(),
                    new WorkerProgress(), directory);
            Evaluator evaluator = settings.evaluator();
            SearchSpace space = settings.space();
            evaluator.prepare(space, context);
            for (Map<String, List<Object>> phase : phases) {
                space = Subspace.of(settings.space(), phase);
                evaluator.prepare(space, context);
            }
            return new Rebuilt(root, context, space, evaluator, Latency.of(settings.objectives(), context), scratch);
        } catch (DataException e) {
            delete(scratch);
            throw new DataException(problem(e.getMessage() + "; data sets reach workers by path, so it must be readable at that path "
                    + "on every worker (shared storage), or use a data set every worker has"));
        } catch (InvalidConfigException e) {
            delete(scratch);
            throw new IllegalStateException(problem("cannot load the job: " + e.getMessage() + " (the driver ships its plugin jars; "
                    + "a worker's own class path must not hold other versions of them)"), e);
        } catch (IOException e) {
            delete(scratch);
            throw new UncheckedIOException(problem(e.getMessage()), e);
        } catch (RuntimeException e) {
            delete(scratch);
            throw e;
        }
    }

    private static String problem(String what) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "a worker";
        }
        return "worker " + host + ": " + what;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A scratch folder left behind in the temp directory is harmless.
        }
    }

    /** A worker's progress goes to its log (the executor's stderr): what happened, and how long each piece of work took. */
    private static final class WorkerProgress implements Progress {
        @Override
        public Tracker start(String activity, long total, String unit) {
            long started = System.nanoTime();
            return new Tracker() {
                @Override
                public void advance(long units, String status) {}

                @Override
                public void close() {
                    note(String.format(java.util.Locale.ROOT, "%s: done in %.1fs", activity, (System.nanoTime() - started) / 1e9));
                }
            };
        }

        @Override
        public void note(String message) {
            System.err.println("creamery worker: " + message);
        }
    }

    /** A job rebuilt in this JVM, its evaluator prepared for one phase. */
    private record Rebuilt(NDManager root, RunEvaluationContext context, SearchSpace space, Evaluator evaluator, Latency latency,
            Path scratch) {
        void close() {
            root.close();
            delete(scratch);
        }
    }
}
