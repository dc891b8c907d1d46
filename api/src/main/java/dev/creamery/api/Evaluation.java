package dev.creamery.api;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an {@link Evaluator} found out about one architecture.
 *
 * @param metrics named metrics (see {@link Metrics}; evaluators may add their own, e.g. proxy
 *     scores), in a stable order: the map's iteration order is kept, so pass an ordered map (a
 *     {@code LinkedHashMap}), not {@code Map.of} of several entries
 * @param costSeconds the wall time the evaluation took
 */
public record Evaluation(Map<String, Double> metrics, double costSeconds) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Copies the metrics and checks the cost is not negative. */
    public Evaluation {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        if (costSeconds < 0) {
            throw new IllegalArgumentException("negative cost " + costSeconds);
        }
    }

    /**
     * @param accuracy a validation score
     * @param startNanos {@link System#nanoTime()} when the evaluation began
     * @return the evaluation of accuracy and loss, costed up to now
     */
    public static Evaluation of(Accuracy accuracy, long startNanos) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(Metrics.ACCURACY, accuracy.top1());
        metrics.put(Metrics.LOSS, accuracy.loss());
        return new Evaluation(metrics, (System.nanoTime() - startNanos) / 1e9);
    }

    /**
     * @param name a metric name
     * @return its value
     * @throws IllegalArgumentException if the evaluation has no such metric
     */
    public double metric(String name) {
        Double value = metrics.get(name);
        if (value == null) {
            throw new IllegalArgumentException("evaluation has no metric '" + name + "'; it has " + metrics.keySet());
        }
        return value;
    }

    /**
     * @param name a metric name
     * @param value its value
     * @return a copy with the metric added or replaced
     */
    public Evaluation with(String name, double value) {
        Map<String, Double> copy = new LinkedHashMap<>(metrics);
        copy.put(name, value);
        return new Evaluation(copy, costSeconds);
    }
}
