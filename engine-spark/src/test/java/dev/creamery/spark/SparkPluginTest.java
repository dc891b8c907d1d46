package dev.creamery.spark;

import dev.creamery.api.Plugin;
import dev.creamery.testkit.PluginContract;
import java.util.Set;

/** The plugin contract: listed for the service loader, its executor registered with defaults that bind. */
class SparkPluginTest extends PluginContract {
    @Override
    protected Class<? extends Plugin> plugin() {
        return SparkPlugin.class;
    }

    @Override
    protected Set<String> components() {
        return Set.of("execution spark");
    }
}
