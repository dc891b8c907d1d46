package dev.creamery.runtime.job;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.creamery.api.Architecture;
import dev.creamery.api.EvaluationContext;
import dev.creamery.api.Metrics;
import dev.creamery.api.Objective;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.nn.Module;
import dev.creamery.runtime.model.Profiler;
import java.util.List;

/**
 * The {@code latency-ms} metric: a member's standalone network, timed for one image on the job's
 * device as {@code creamery profile} times a model (median after warm-up, no gradients). The
 * weights are fresh: latency does not depend on their values.
 */
final class Latency {
    private static final int REPEATS = 7;

    private final EvaluationContext context;
    private final Profiler profiler = new Profiler(REPEATS, 0);

    Latency(EvaluationContext context) {
        this.context = context;
    }

    /** @return the measurement if an objective names {@code latency-ms}, else null */
    static Latency of(List<Objective> objectives, EvaluationContext context) {
        return objectives.stream().anyMatch(o -> o.metric().equals(Metrics.LATENCY_MS)) ? new Latency(context) : null;
    }

    double milliseconds(SearchSpace space, Architecture architecture) {
        try (NDManager scope = context.manager().newSubManager()) {
            Block network = space.build(architecture, context.task());
            network.initialize(scope, DataType.FLOAT32, context.task().inputShape(1));
            Module.prepareInference(network);
            return 1000 * profiler.secondsPerBatch(network, context.task(), 1, scope);
        }
    }
}
