package dev.creamery.spark;

import dev.creamery.api.Plugin;

/** Registers the {@code spark} trial executor. */
public final class SparkPlugin extends Plugin {
    @Override
    protected void configure() {
        execution("spark", SparkExecutor.Settings.class, SparkExecutor::new);
    }
}
