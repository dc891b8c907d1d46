package com.example.hillclimbing;

import dev.creamery.api.Architecture;
import dev.creamery.api.Metrics;
import dev.creamery.api.MutationRates;
import dev.creamery.api.Progress;
import dev.creamery.api.SearchContext;
import dev.creamery.api.SearchResult;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.SearchStrategy;
import dev.creamery.api.Trial;
import java.util.Random;

/**
 * Steepest-ascent hill climbing with random restarts: from a random member, evaluate a few
 * mutations and move to the best if it beats the current one; when no neighbour does, restart
 * from a new random member.
 */
public final class HillClimbing implements SearchStrategy {
    private final HillClimbingSettings settings;

    /** @param settings the settings */
    public HillClimbing(HillClimbingSettings settings) {
        this.settings = settings;
    }

    @Override
    public SearchResult search(SearchSpace space, SearchContext context) {
        Random random = context.random();
        MutationRates rates = new MutationRates(settings.mutationProbability(), settings.mutationProbability());
        Trial current = context.evaluate(space.sample(random));
        try (Progress.Tracker tracker = context.progress().start("hill climbing", settings.steps(), "step")) {
            for (int step = 0; step < settings.steps() && !context.budget().exhausted(); step++) {
                Trial best = null;
                for (int n = 0; n < settings.neighbours() && !context.budget().exhausted(); n++) {
                    Trial neighbour = context.evaluate(space.mutate(current.architecture(), random, rates));
                    if (better(neighbour, best)) {
                        best = neighbour;
                    }
                }
                if (best != null && better(best, current)) {
                    current = best;
                } else if (!context.budget().exhausted()) {
                    Architecture restart = space.sample(random);
                    current = context.evaluate(restart);
                }
                tracker.advance(1, String.format("current %.4f", score(current)));
            }
        }
        return context.result();
    }

    private static boolean better(Trial candidate, Trial incumbent) {
        return candidate.ok() && (incumbent == null || score(candidate) > score(incumbent));
    }

    private static double score(Trial trial) {
        return trial.ok() ? trial.metricOrNaN(Metrics.ACCURACY) : Double.NEGATIVE_INFINITY;
    }
}
