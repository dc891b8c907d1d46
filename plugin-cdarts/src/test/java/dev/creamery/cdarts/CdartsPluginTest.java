package dev.creamery.cdarts;

import dev.creamery.api.Plugin;
import dev.creamery.testkit.PluginContract;
import java.util.Set;

/** The plugin registers its components, and reference.conf holds exactly their settings, valid as they are. */
class CdartsPluginTest extends PluginContract {
    @Override
    protected Class<? extends Plugin> plugin() {
        return CdartsPlugin.class;
    }

    @Override
    protected Set<String> components() {
        return Set.of("family cdarts", "space darts", "strategy cdarts", "strategy darts");
    }
}
