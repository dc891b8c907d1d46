package dev.creamery.runtime.search;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.creamery.api.Architecture;
import dev.creamery.api.Constraints;
import dev.creamery.api.Evaluation;
import dev.creamery.api.EvaluationContext;
import dev.creamery.api.Evaluator;
import dev.creamery.api.InheritedWeights;
import dev.creamery.api.Proposals;
import dev.creamery.api.RejectedArchitectureException;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Task;
import java.util.List;
import java.util.Optional;

/**
 * Wraps another evaluator and rejects members outside the size limits before any work is spent on
 * them; rejected candidates do not count against the budget.
 */
public final class ConstraintsEvaluator implements Evaluator, InheritedWeights, Proposals {
    private final Settings settings;
    private SearchSpace space;
    private Task task;

    /**
     * @param limits the size limits
     * @param inner the evaluator of admitted members
     */
    public record Settings(Constraints limits, Evaluator inner) {
        /** Checks an inner evaluator is given. */
        public Settings {
            if (inner == null) {
                throw new IllegalArgumentException("constraints needs an inner evaluator: inner { type = ... }");
            }
        }
    }

    /** @param settings the settings */
    public ConstraintsEvaluator(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void prepare(SearchSpace searchSpace, EvaluationContext context) {
        this.space = searchSpace;
        this.task = context.task();
        settings.inner().prepare(searchSpace, context);
    }

    @Override
    public Evaluation evaluate(Architecture architecture, EvaluationContext context) {
        Optional<String> violation = settings.limits().violation(space.complexity(architecture, context.task()));
        if (violation.isPresent()) {
            throw new RejectedArchitectureException(violation.get());
        }
        return settings.inner().evaluate(architecture, context);
    }

    @Override
    public Optional<Block> inherit(Architecture architecture, NDManager manager) {
        return settings.inner() instanceof InheritedWeights weights ? weights.inherit(architecture, manager) : Optional.empty();
    }

    /** The inner evaluator's proposals that the limits admit. */
    @Override
    public List<Architecture> proposals() {
        if (!(settings.inner() instanceof Proposals proposing) || space == null) {
            return List.of();
        }
        return proposing.proposals().stream().filter(a -> settings.limits().violation(space.complexity(a, task)).isEmpty()).toList();
    }
}
