package com.example.hillclimbing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creamery.api.ComponentKind;
import dev.creamery.api.Evaluator;
import dev.creamery.api.Plugin;
import dev.creamery.testkit.Defaults;
import dev.creamery.testkit.PluginContract;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The testkit's plugin contract: listed for ServiceLoader, both components registered, defaults that bind and build. */
class HillClimbingPluginTest extends PluginContract {
    @Override
    protected Class<? extends Plugin> plugin() {
        return HillClimbingPlugin.class;
    }

    @Override
    protected Set<String> components() {
        return Set.of("strategy hill-climbing", "evaluator penalized-accuracy");
    }

    /** Built by injection: its constructor got its settings and the components it builds the built-in one-shot evaluator from. */
    @Test
    void thePenalizedEvaluatorIsInjected() {
        Evaluator evaluator = Defaults.component(ComponentKind.EVALUATOR, "penalized-accuracy");
        assertThat(evaluator).isInstanceOf(PenalizedAccuracy.class);
    }
}
