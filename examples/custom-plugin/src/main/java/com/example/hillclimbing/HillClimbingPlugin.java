package com.example.hillclimbing;

import dev.creamery.api.ComponentKind;
import dev.creamery.api.Plugin;

/**
 * Registers the {@code hill-climbing} search strategy (made by a factory from its settings) and the
 * {@code penalized-accuracy} evaluator (a class the runtime builds by injection).
 */
public final class HillClimbingPlugin extends Plugin {
    @Override
    protected void configure() {
        strategy("hill-climbing", HillClimbingSettings.class, HillClimbing::new);
        register(ComponentKind.EVALUATOR, "penalized-accuracy", PenalizedAccuracySettings.class, PenalizedAccuracy.class);
    }
}
