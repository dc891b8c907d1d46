package dev.creamery.cream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creamery.api.Complexity;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parameters and FLOPs of the six child nets as the official code prints them: {@code tools/retrain.py}
 * counts with thop's {@code profile} at each net's own resolution (thop of 2020, the version whose
 * counts the README's FLOPs column rounds: 13.849M is "14M", 481.599M is "481M").
 */
class ComplexityTest {
    private static final CreamFamily FAMILY = new CreamFamily(ReferenceConf.family());

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "cream-14, 64, 2673096, 13848832",
        "cream-43, 96, 4398600, 42414080",
        "cream-114, 160, 4410120, 114488320",
        "cream-287, 224, 6044368, 287195240",
        "cream-481, 224, 7713360, 481598712",
        "cream-604, 224, 9695624, 604339504"})
    void paramsAndFlopsAreTheOfficialOnes(String name, int resolution, long params, long flops) {
        Variant variant = FAMILY.variants().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
        assertThat(variant.task()).isEqualTo(Task.square(3, resolution, 1000));
        Complexity complexity = FAMILY.complexity(variant.architecture(), variant.task());
        assertThat(complexity.params()).isEqualTo(params);
        assertThat(complexity.flops()).isEqualTo(flops);
    }

    /** At 224 for all (the fixtures' input), as thop counts them there too. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"cream-14, 145260352", "cream-43, 216839680", "cream-114, 221355520"})
    void flopsAt224(String name, long flops) {
        Variant variant = FAMILY.variants().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
        assertThat(FAMILY.complexity(variant.architecture(), Task.square(3, 224, 1000)).flops()).isEqualTo(flops);
    }
}
