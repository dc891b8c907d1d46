package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * iRPE's buckets as the official {@code piecewise_index} and {@code get_bucket_ids_2d} give them. The
 * model zoo names its models by the buckets a 14x14 grid with a class token uses (product_50, euc_20,
 * quant_51, cross_56), which the allocated tables exceed for all but the product method.
 */
class RpeBucketsTest {
    private static final int SIDE = 14;

    @Test
    void thePiecewiseIndexOfRatio19KeepsOneStepAndCompressesTheRestToThree() {
        RpeConfig config = RpeConfig.of(1.9, "product", "ctx", true, 1, "k");
        int[] expected = {-3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -2, -2, -1, 0, 1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3};
        for (int x = -13; x <= 13; x++) {
            assertThat(RpeBuckets.piecewise(x, config.alpha(), config.beta(), config.gamma())).as("offset %d", x).isEqualTo(expected[x + 13]);
        }
    }

    @Test
    void theModelZooCountsTheBucketsItsGridUses() {
        assertThat(used(RpeConfig.of(1.9, "product", "ctx", true, 1, "k"), RpeBuckets.Function.PRODUCT)).isEqualTo(50);
        assertThat(used(RpeConfig.of(20, "euc", "ctx", true, 1, "k"), RpeBuckets.Function.EUCLIDEAN)).isEqualTo(20);
        assertThat(used(RpeConfig.of(33, "quant", "ctx", true, 1, "k"), RpeBuckets.Function.QUANTIZATION)).isEqualTo(51);
        RpeConfig cross = RpeConfig.of(20, "cross", "ctx", true, 1, "k");
        assertThat(used(cross, RpeBuckets.Function.ROWS) + used(cross, RpeBuckets.Function.COLUMNS)).isEqualTo(56);
        assertThat(RpeConfig.of(1.9, "product", "ctx", true, 1, "k").buckets()).isEqualTo(50);
        assertThat(RpeConfig.of(20, "euc", "ctx", true, 1, "k").buckets()).isEqualTo(82);
        assertThat(RpeConfig.of(33, "quant", "ctx", true, 1, "k").buckets()).isEqualTo(134);
        assertThat(cross.buckets()).isEqualTo(82);
    }

    /** The sums of all ids and the first 20 of token 1's row, as the official code computed them for the fixtures (14x14 and a class token). */
    @Test
    void theIdsAreTheOfficialOnes() {
        assertOfficial(RpeConfig.of(1.9, "product", "ctx", true, 1, "k"), RpeBuckets.Function.PRODUCT, 941241,
                49, 24, 23, 22, 22, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21, 17, 16, 15, 15, 14);
        assertOfficial(RpeConfig.of(20, "euc", "ctx", true, 1, "k"), RpeBuckets.Function.EUCLIDEAN, 1845765,
                81, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 41, 41, 42, 43, 44);
        assertOfficial(RpeConfig.of(33, "quant", "ctx", true, 1, "k"), RpeBuckets.Function.QUANTIZATION, 3961617,
                133, 66, 67, 70, 75, 82, 91, 100, 105, 110, 113, 117, 120, 122, 125, 67, 68, 71, 76, 83);
        assertOfficial(RpeConfig.of(20, "cross", "ctx", true, 1, "k"), RpeBuckets.Function.ROWS, 1568473,
                81, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 39, 39, 39, 39, 39);
    }

    private static void assertOfficial(RpeConfig config, RpeBuckets.Function function, long sum, long... row1) {
        long[] ids = RpeBuckets.ids(function, config, SIDE, SIDE, 1);
        int tokens = SIDE * SIDE + 1;
        assertThat(Arrays.stream(ids).sum()).as("%s: sum of ids", function).isEqualTo(sum);
        assertThat(Arrays.copyOfRange(ids, tokens, tokens + row1.length)).as("%s: token 1's row", function).containsExactly(row1);
    }

    @Test
    void theClassTokensRowAndColumnShareTheLastBucketAndAPatchWithItselfIsTheCentre() {
        RpeConfig config = RpeConfig.of(1.9, "product", "ctx", true, 1, "k");
        long[] ids = RpeBuckets.ids(RpeBuckets.Function.PRODUCT, config, SIDE, SIDE, 1);
        int tokens = SIDE * SIDE + 1;
        for (int j = 0; j < tokens; j++) {
            assertThat(ids[j]).isEqualTo(49);
            assertThat(ids[j * tokens]).isEqualTo(49);
        }
        for (int i = 1; i < tokens; i++) {
            assertThat(ids[i * tokens + i]).isEqualTo(3 * 7 + 3);
        }
        // Patch (0, 0) against patch (1, 13): row offset -1, column offset -13 -> (-1 + 3) * 7 + (-3 + 3).
        assertThat(ids[1 * tokens + 1 + SIDE + 13]).isEqualTo(14);
    }

    @Test
    void aRatioWithoutBucketsAndUnknownNamesAreRefusedWithTheChoices() {
        assertThatThrownBy(() -> RpeConfig.of(0.4, "product", "ctx", true, 1, "k")).hasMessageContaining("gives no buckets")
                .hasMessageContaining("at least 0.5");
        assertThatThrownBy(() -> RpeConfig.of(1.9, "diagonal", "ctx", true, 1, "k"))
                .hasMessage("unknown rpe method 'diagonal': use one of euc, quant, cross, product");
        assertThatThrownBy(() -> RpeConfig.of(1.9, "product", "both", true, 1, "k"))
                .hasMessage("unknown rpe mode 'both': use one of bias, contextual");
        assertThatThrownBy(() -> RpeConfig.of(1.9, "product", "ctx", true, 1, "x")).hasMessageContaining("not a choice of q, k and v");
        assertThatThrownBy(() -> RpeConfig.of(1.9, "product", "bias", true, 1, "kv")).hasMessageContaining("not on v");
    }

    private static long used(RpeConfig config, RpeBuckets.Function function) {
        return Arrays.stream(RpeBuckets.ids(function, config, SIDE, SIDE, 1)).distinct().count();
    }
}
