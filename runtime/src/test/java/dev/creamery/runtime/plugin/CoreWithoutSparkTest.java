package dev.creamery.runtime.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The core (api, wiring, engine, runtime and what they depend on, which is this module's test class
 * path) carries no Spark: the engine-spark module is optional and nothing depends on it.
 */
class CoreWithoutSparkTest {
    @Test
    void noSparkOrScalaClassIsOnTheCoreClassPath() {
        ClassLoader core = getClass().getClassLoader();
        assertThat(core.getResource("org/apache/spark/SparkContext.class")).isNull();
        assertThat(core.getResource("scala/Function1.class")).isNull();
        assertThat(core.getResource("dev/creamery/spark/SparkExecutor.class")).isNull();
    }
}
