package dev.creamery.runtime.search;

import dev.creamery.api.Architecture;
import dev.creamery.api.Constraints;
import dev.creamery.api.Progress;
import dev.creamery.api.SearchContext;
import dev.creamery.api.SearchResult;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.SearchStrategy;
import dev.creamery.api.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Random search: evaluates distinct uniformly sampled members inside the constraints. */
public final class RandomSearch implements SearchStrategy {
    private static final int CHUNK = 16;

    private final Settings settings;

    /**
     * @param trials distinct members to evaluate
     * @param constraints size limits of the candidates
     */
    public record Settings(int trials, Constraints constraints) {
        /** Checks the trial count. */
        public Settings {
            if (trials < 1) {
                throw new IllegalArgumentException("trials must be >= 1, got " + trials);
            }
        }
    }

    /** @param settings the settings */
    public RandomSearch(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void check(SearchSpace space, Task task) {
        Candidates.checkFeasible(space, task, settings.constraints());
    }

    @Override
    public SearchResult search(SearchSpace space, SearchContext context) {
        check(space, context.task());
        Random random = context.random();
        Set<Architecture> seen = new HashSet<>();
        int misses = 0;
        try (Progress.Tracker tracker = context.progress().start("random search", settings.trials(), "trial")) {
            while (seen.size() < settings.trials() && !context.budget().exhausted() && misses < 1000) {
                // Draws do not depend on results, so they go to the context in chunks that an executor may run side by side.
                List<Architecture> chunk = new ArrayList<>();
                while (chunk.size() < CHUNK && seen.size() < settings.trials() && misses < 1000) {
                    Architecture candidate = Candidates.sample(space, random, context, settings.constraints());
                    if (!seen.add(candidate)) {
                        misses++;
                        continue;
                    }
                    misses = 0;
                    chunk.add(candidate);
                }
                tracker.advance(context.evaluateAll(chunk).size(), "");
            }
        }
        return context.result();
    }
}
