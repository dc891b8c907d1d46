package dev.creamery.runtime.plugin;

import dev.creamery.api.Plugin;
import dev.creamery.testkit.PluginContract;
import java.util.Map;
import java.util.Set;

/** The runtime's own components come through the plugin door like any other and pass the same contract. */
class BuiltinPluginTest extends PluginContract {
    @Override
    protected Class<? extends Plugin> plugin() {
        return BuiltinPlugin.class;
    }

    @Override
    protected Set<String> components() {
        return Set.of("strategy random", "strategy evolution", "evaluator one-shot", "evaluator train", "evaluator constraints",
                "data fashion-mnist", "data cifar10", "data image-folder", "data synthetic", "space convnet", "execution in-process");
    }

    @Override
    protected Map<String, String> requiredSettings() {
        return Map.of("evaluator constraints", "inner { type = train }", "data image-folder", "folder = images, classes = [cat, dog]");
    }
}
