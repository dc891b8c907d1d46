package com.example.hillclimbing;

import dev.creamery.api.Plugin;

/** Registers the {@code hill-climbing} search strategy. */
public final class HillClimbingPlugin extends Plugin {
    @Override
    protected void configure() {
        strategy("hill-climbing", HillClimbingSettings.class, HillClimbing::new);
    }
}
