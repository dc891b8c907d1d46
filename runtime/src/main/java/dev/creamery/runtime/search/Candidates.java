package dev.creamery.runtime.search;

import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Constraints;
import dev.creamery.api.SearchContext;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Task;
import dev.creamery.api.UnsatisfiableConstraintsException;
import java.util.Random;
import java.util.function.Supplier;

/** Drawing candidates that satisfy constraints, shared by the built-in strategies. */
final class Candidates {
    private static final int ATTEMPTS = 10_000;

    private Candidates() {}

    /**
     * Fails fast when the constraints exclude the whole space, judged by its smallest and largest
     * members (candidates are ordered from small to large networks).
     *
     * @param space the space
     * @param task the task its members are built for
     * @param constraints the limits
     * @throws UnsatisfiableConstraintsException if no member can meet them
     */
    static void checkFeasible(SearchSpace space, Task task, Constraints constraints) {
        Complexity smallest = space.complexity(space.smallest(), task);
        Complexity largest = space.complexity(space.largest(), task);
        if (!constraints.params().overlaps(smallest.params(), largest.params())) {
            throw new UnsatisfiableConstraintsException("no member of the space meets the params limit " + constraints.params()
                    + ": its members span " + Complexity.human(smallest.params()) + " to " + Complexity.human(largest.params())
                    + " params for this task; widen constraints.params");
        }
        if (!constraints.flops().overlaps(smallest.flops(), largest.flops())) {
            throw new UnsatisfiableConstraintsException("no member of the space meets the FLOPs limit " + constraints.flops()
                    + ": its members span " + Complexity.human(smallest.flops()) + " to " + Complexity.human(largest.flops())
                    + " FLOPs for this task; widen constraints.flops");
        }
    }

    /**
     * @param draw makes a candidate
     * @param context gives complexity
     * @param constraints the limits
     * @return the first drawn candidate inside the limits
     * @throws UnsatisfiableConstraintsException if none of many draws is
     */
    static Architecture admissible(Supplier<Architecture> draw, SearchContext context, Constraints constraints) {
        for (int i = 0; i < ATTEMPTS; i++) {
            Architecture candidate = draw.get();
            if (constraints.admits(context.complexity(candidate))) {
                return candidate;
            }
        }
        throw new UnsatisfiableConstraintsException(ATTEMPTS + " random candidates all fall outside params " + constraints.params()
                + " / FLOPs " + constraints.flops() + "; widen the constraints");
    }

    /**
     * @param space the space
     * @param random the random source
     * @param context gives complexity
     * @param constraints the limits
     * @return a uniformly sampled member inside the limits
     */
    static Architecture sample(SearchSpace space, Random random, SearchContext context, Constraints constraints) {
        return admissible(() -> space.sample(random), context, constraints);
    }
}
