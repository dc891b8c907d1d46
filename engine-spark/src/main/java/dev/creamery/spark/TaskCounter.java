package dev.creamery.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/** Counts tasks running and run again, and the executors that come and go, for the driver's progress line. */
final class TaskCounter extends SparkListener {
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger retried = new AtomicInteger();
    private final AtomicInteger executors = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    private final String version;
    private long waitingSince = System.nanoTime();

    /** @param version the driver's Spark version, which the workers' must match */
    TaskCounter(String version) {
        this.version = version;
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart start) {
        running.incrementAndGet();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        running.decrementAndGet();
        if (end.reason() != Success$.MODULE$) {
            retried.incrementAndGet();
            events.add("spark: task " + end.taskInfo().index() + " (attempt " + (end.taskInfo().attemptNumber() + 1) + ") on executor "
                    + end.taskInfo().executorId() + " ended: " + end.reason().toString().lines().findFirst().orElse("") + "; Spark runs it again");
        }
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded added) {
        executors.incrementAndGet();
        events.add("spark: executor " + added.executorId() + " on " + added.executorInfo().executorHost() + " joined ("
                + added.executorInfo().totalCores() + " core(s))");
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        executors.decrementAndGet();
        events.add("spark: executor " + removed.executorId() + " lost: " + removed.reason());
    }

    /**
     * @param local whether the tasks are threads of the driver
     * @return a note, once a minute, while a cluster has given the application no executor
     */
    Optional<String> starved(boolean local) {
        long now = System.nanoTime();
        if (local || executors.get() > 0 || running.get() > 0) {
            waitingSince = now;
            return Optional.empty();
        }
        if (now - waitingSince < TimeUnit.MINUTES.toNanos(1)) {
            return Optional.empty();
        }
        waitingSince = now;
        return Optional.of("spark: no executor has joined for a minute; the cluster may be busy, or its workers cannot start "
                + "executors (their logs say why; a worker needs SPARK_HOME set to a Spark " + version + " installation)");
    }

    /** @return the events since the last call (executors joining or lost, tasks run again) */
    List<String> events() {
        List<String> drained = new ArrayList<>();
        for (String event = events.poll(); event != null; event = events.poll()) {
            drained.add(event);
        }
        return drained;
    }

    /** @return e.g. {@code "2 running, 1 retried, 2 executor(s)"} (tasks done are the tracker's count) */
    String status() {
        return String.format(Locale.ROOT, "%d running, %d retried", Math.max(0, running.get()), retried.get())
                + (executors.get() > 0 ? ", " + executors.get() + " executor(s)" : "");
    }
}
