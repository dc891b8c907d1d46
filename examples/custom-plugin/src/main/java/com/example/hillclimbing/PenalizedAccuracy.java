package com.example.hillclimbing;

import dev.creamery.api.Architecture;
import dev.creamery.api.ComponentKind;
import dev.creamery.api.Components;
import dev.creamery.api.Evaluation;
import dev.creamery.api.EvaluationContext;
import dev.creamery.api.Evaluator;
import dev.creamery.api.Metrics;
import dev.creamery.api.SearchSpace;
import jakarta.inject.Inject;

/**
 * Accuracy minus a penalty per million parameters, as measured by another registered evaluator
 * that it builds by name: the soft size constraint of many NAS papers, on top of any evaluator.
 * The runtime builds it by injection, handing it its settings and the {@link Components} it
 * builds the inner evaluator from.
 */
public final class PenalizedAccuracy implements Evaluator {
    /** The metric it adds. */
    public static final String METRIC = "penalized-accuracy";

    private final Evaluator inner;
    private final double penalty;
    private SearchSpace space;

    /**
     * @param settings which evaluator measures the accuracy, and the penalty
     * @param components the registered components
     */
    @Inject
    public PenalizedAccuracy(PenalizedAccuracySettings settings, Components components) {
        this.inner = components.create(ComponentKind.EVALUATOR, settings.evaluator());
        this.penalty = settings.penaltyPerMillion();
    }

    @Override
    public void prepare(SearchSpace searchSpace, EvaluationContext context) {
        this.space = searchSpace;
        inner.prepare(searchSpace, context);
    }

    @Override
    public Evaluation evaluate(Architecture architecture, EvaluationContext context) {
        Evaluation measured = inner.evaluate(architecture, context);
        double millions = space.complexity(architecture, context.task()).params() / 1e6;
        return measured.with(METRIC, measured.metric(Metrics.ACCURACY) - penalty * millions);
    }
}
