package dev.creamery.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.creamery.api.Complexity;
import dev.creamery.api.Variant;
import dev.creamery.testkit.ReferenceFixture;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DeiT's parameters as the official code counts them (the fixtures' counts; deit-base, which has none,
 * from its shapes), and the multiply-accumulates of the iRPE model zoo against its README.
 */
class DeitComplexityTest {
    private static final DeitFamily FAMILY = new DeitFamily(ReferenceConf.deit());

    /** Variant, the official parameter count, the official README's MACs in millions (0: it gives none). */
    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("deit-tiny", 5_717_416L, 0),
                Arguments.of("deit-small", 22_050_664L, 0),
                Arguments.of("deit-base", 86_567_656L, 0),
                Arguments.of("irpe-deit-tiny-patch16-224-ctx-product-50-shared-k", 5_755_816L, 1284),
                Arguments.of("irpe-deit-small-patch16-224-ctx-euc-20-shared-k", 22_113_640L, 0),
                Arguments.of("irpe-deit-small-patch16-224-ctx-quant-51-shared-k", 22_153_576L, 0),
                Arguments.of("irpe-deit-small-patch16-224-ctx-cross-56-shared-k", 22_176_616L, 0),
                Arguments.of("irpe-deit-small-patch16-224-ctx-product-50-shared-k", 22_089_064L, 4659),
                Arguments.of("irpe-deit-small-patch16-224-ctx-product-50-shared-qk", 22_127_464L, 4706),
                Arguments.of("irpe-deit-small-patch16-224-ctx-product-50-shared-qkv", 22_165_864L, 4885),
                Arguments.of("irpe-deit-small-patch16-224-bias-product-50-shared-k", 22_051_264L, 0),
                Arguments.of("irpe-deit-small-patch16-224-bias-product-50-k", 22_054_264L, 0),
                Arguments.of("irpe-deit-base-patch16-224-ctx-product-50-shared-k", 86_606_056L, 17684),
                Arguments.of("irpe-deit-base-patch16-224-ctx-product-50-shared-qkv", 86_682_856L, 18137));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void paramsAreTheOfficialCountAndMacsTheReadmes(String name, long params, int readmeMacs) {
        Variant variant = FAMILY.variant(name);
        Complexity complexity = FAMILY.complexity(variant.architecture(), variant.task());
        assertThat(complexity.params()).isEqualTo(params);
        if (ReferenceFixture.class.getResource("/reference/" + name + ".json.gz") != null) {
            assertThat(ReferenceFixture.load("/reference/" + name + ".json.gz").params()).isEqualTo(params);
        }
        if (readmeMacs > 0) {
            // The kit counts products only; the README's counter finds 0.2-0.6% more (7.6M of tiny's 1,284M, 29M of
            // base's 17,684M: work that grows with the width, outside the products).
            assertThat(complexity.flops() / 1e6).isBetween(0.993 * readmeMacs, (double) readmeMacs);
        }
    }
}
