package dev.creamery.cream;

import dev.creamery.api.Plugin;
import dev.creamery.testkit.PluginContract;
import java.util.Set;

/** The plugin registers its components, and reference.conf holds exactly their settings, valid as they are. */
class CreamPluginTest extends PluginContract {
    @Override
    protected Class<? extends Plugin> plugin() {
        return CreamPlugin.class;
    }

    @Override
    protected Set<String> components() {
        return Set.of("space cream", "family cream", "evaluator prioritized-path", "strategy board");
    }
}
