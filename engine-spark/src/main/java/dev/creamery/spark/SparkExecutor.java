package dev.creamery.spark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import dev.creamery.api.Architecture;
import dev.creamery.api.DataException;
import dev.creamery.api.Progress;
import dev.creamery.api.TrialExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs each architecture of a batch as one Spark task ({@code execution { type = spark }}). The
 * driver (this process) starts Spark on the first batch, ships the evaluator's folder, checks that
 * every worker can rebuild the job (its data, by path) before any trial, then hands each outcome
 * back as its task finishes. A task whose executor is lost is run again by Spark; an evaluation
 * that fails (a diverged loss, a refused member) is an outcome, recorded once, never retried.
 */
public final class SparkExecutor implements TrialExecutor {
    private final Settings settings;
    private JavaSparkContext spark;
    private TaskCounter tasks;
    private StateShipping shipping;
    private boolean checked;

    /**
     * @param master the Spark master URL
     * @param appName the application's name
     * @param conf Spark settings passed as they are
     */
    public record Settings(String master, String appName, Config conf) {
        /** Checks a master is named. */
        public Settings {
            if (master == null || master.isBlank()) {
                throw new IllegalArgumentException("master must name a Spark master: local[N], spark://host:7077, yarn or k8s://...");
            }
        }
    }

    /** @param settings the settings */
    public SparkExecutor(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void run(List<Architecture> batch, Work work, Consumer<Outcome> done) {
        if (work.remote().isEmpty()) {
            work.progress().note("spark: workers cannot rebuild this phase's space; its " + batch.size() + " evaluation(s) run here");
            TrialExecutor.inOrder(batch, work, done);
            return;
        }
        Remote remote = work.remote().get();
        JavaSparkContext context = start();
        int threads = context.getConf().getInt("spark.task.cpus", 1);
        String state = shipping.ship(remote);
        if (!checked) {
            check(context, remote, state, threads, work.progress());
            checked = true;
        }
        int next = 0;
        while (next < batch.size()) {
            int allowed = work.remaining();
            if (allowed == 0) {
                return;
            }
            List<Architecture> chunk = batch.subList(next, next + Math.min(allowed, batch.size() - next));
            next += chunk.size();
            if (!submit(context, chunk, new EvaluateTask(remote, state, threads, context.isLocal()), work, done)) {
                return;
            }
        }
    }

    /** Rebuilds the job on as many task slots as Spark offers, so a worker that cannot read the data fails the run before any trial. */
    private void check(JavaSparkContext context, Remote remote, String state, int threads, Progress progress) {
        int slots = Math.max(1, context.defaultParallelism());
        progress.note(String.format(Locale.ROOT, "spark: %s, %d task slot(s); checking that the workers can rebuild the job",
                context.master(), slots));
        List<Integer> probes = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            probes.add(i);
        }
        EvaluateTask task = new EvaluateTask(remote, state, threads, context.isLocal());
        try {
            inContext(() -> {
                context.parallelize(probes, slots).foreach(probe -> task.check());
                return null;
            });
        } catch (Exception e) {
            throw failure(e);
        }
    }

    /** @return false if the budget's time ran out while tasks were running (they are cancelled) */
    private boolean submit(JavaSparkContext context, List<Architecture> chunk, EvaluateTask task, Work work, Consumer<Outcome> done) {
        BlockingQueue<Outcome> arrived = new LinkedBlockingQueue<>();
        RDD<Outcome> outcomes = context.parallelize(chunk, chunk.size()).map(task::evaluate).rdd();
        List<Object> partitions = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            partitions.add(i);
        }
        SimpleFutureAction<BoxedUnit> job = inContext(() -> context.sc().submitJob(outcomes, new FirstOfPartition<Outcome>(),
                CollectionConverters.asScala(partitions).toSeq(), new AbstractFunction2<Object, Outcome, BoxedUnit>() {
                    @Override
                    public BoxedUnit apply(Object partition, Outcome outcome) {
                        arrived.add(outcome);
                        return BoxedUnit.UNIT;
                    }
                }, new AbstractFunction0<BoxedUnit>() {
                    @Override
                    public BoxedUnit apply() {
                        return BoxedUnit.UNIT;
                    }
                }));
        int received = 0;
        try (Progress.Tracker tracker = work.progress().start("spark tasks", chunk.size(), "task")) {
            while (received < chunk.size()) {
                Outcome outcome = arrived.poll(1, TimeUnit.SECONDS);
                tasks.events().forEach(work.progress()::note);
                tasks.starved(context.isLocal()).ifPresent(work.progress()::note);
                if (outcome != null) {
                    received++;
                    done.accept(outcome);
                    tracker.advance(1, tasks.status());
                } else if (job.isCompleted() && arrived.isEmpty()) {
                    throw failure(job);
                } else if (work.remaining() == 0) {
                    work.progress().note("spark: the search's time is up; cancelling " + (chunk.size() - received) + " running task(s)");
                    job.cancel();
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.cancel();
            throw new IllegalStateException("interrupted while waiting for Spark tasks", e);
        } finally {
            if (!job.isCompleted()) {
                job.cancel();
            }
        }
    }

    private static RuntimeException failure(SimpleFutureAction<BoxedUnit> job) {
        var result = job.value();
        if (result.isDefined() && result.get().isFailure()) {
            return failure(result.get().failed().get());
        }
        return new IllegalStateException("a Spark job ended without returning all its outcomes");
    }

    /**
     * What Spark's failure comes to for the user: a worker that cannot read the data is an input
     * error; anything else ends the run. Spark reports a task's exception as text (its first line
     * says what happened, the rest is its stack).
     */
    private static RuntimeException failure(Throwable e) {
        String message = String.valueOf(e.getMessage());
        String data = DataException.class.getName() + ": ";
        int at = message.indexOf(data);
        if (at >= 0) {
            return new DataException(firstLine(message.substring(at + data.length())));
        }
        return new IllegalStateException("Spark gave up: " + firstLine(message), e);
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse(text);
    }

    private JavaSparkContext start() {
        if (spark != null) {
            return spark;
        }
        // Loads the spark.* system properties: what spark-submit passes (--master, --conf) wins over the job's settings.
        SparkConf conf = new SparkConf();
        conf.setIfMissing("spark.master", settings.master());
        conf.setIfMissing("spark.app.name", settings.appName());
        // The driver prints its own progress line; Spark's console bar would interleave with it.
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        for (var entry : settings.conf().entrySet()) {
            conf.setIfMissing(String.join(".", ConfigUtil.splitPath(entry.getKey())), String.valueOf(entry.getValue().unwrapped()));
        }
        if (!conf.get("spark.master").startsWith("local")) {
            Workers.configure(conf);
        }
        spark = inContext(() -> new JavaSparkContext(conf));
        tasks = new TaskCounter(spark.version());
        spark.sc().addSparkListener(tasks);
        shipping = new StateShipping(spark);
        return spark;
    }

    /** Spark finds its classes through the thread's context class loader; this module may sit in a loader of its own. */
    private static <T> T inContext(Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SparkExecutor.class.getClassLoader());
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public void close() {
        if (spark != null) {
            spark.stop();
            shipping.close();
            spark = null;
        }
    }
}
