package dev.creamery.runtime.search;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.testkit.ApiOnly;
import org.junit.jupiter.api.Test;

/** The built-in strategies and evaluators use the API only (plus DJL): whatever they do, a plugin can do. */
class ApiOnlyTest {
    @Test
    void builtInComponentsUseTheApiOnly() {
        ApiOnly.check(ApiOnlyTest.class.getPackageName());
    }

    /** The rule bites: the job package wires the runtime together and uses the engine's internals. */
    @Test
    void theRuleRefusesRuntimeInternals() {
        assertThatThrownBy(() -> ApiOnly.check("dev.creamery.runtime.job")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("dev.creamery.runtime.train.TrainingLoop");
    }
}
