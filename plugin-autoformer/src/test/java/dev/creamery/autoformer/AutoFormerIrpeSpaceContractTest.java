package dev.creamery.autoformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.api.Architecture;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Task;
import dev.creamery.api.nn.RpeSettings;
import dev.creamery.testkit.SearchSpaceContract;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The search-space contract for the {@code tiny-28} space with iRPE beside AutoFormer's own relative
 * positions: cross method (two child tables per encoding), contextual on queries, keys and values, so
 * that every member shares all three of each attention's encodings with the supernet.
 */
class AutoFormerIrpeSpaceContractTest extends SearchSpaceContract {
    @Override
    protected SearchSpace space() {
        return new AutoFormerSpace(new AutoFormerSpaceSettings("tiny-28", null, null, null, null, null, null, null, null, null,
                new RpeSettings("cross", null, null, null, "qkv"), 0.0));
    }

    @Override
    protected Task task() {
        return Task.square(1, 28, 10);
    }

    @Test
    void everyLayerAddsItsTables() {
        SearchSpace plain = new AutoFormerSpace(Preset.TINY_28, 0.0);
        Architecture member = plain.sample(new Random(3));
        // Cross with ratio 1.9: int(2 x 1.9) = 3, so 7 offsets per axis and the class token's bucket; a row and a column
        // table of 8 x 32 for each of q, k and v.
        long tables = 3 * 2 * 8 * 32;
        assertThat(space().complexity(member, task()).params() - plain.complexity(member, task()).params())
                .isEqualTo(member.getInt("depth") * tables);
    }

    @Test
    void tablesPerHeadAreRejected() {
        assertThatThrownBy(() -> new AutoFormerSpaceSettings("tiny-28", null, null, null, null, null, null, null, null, null,
                new RpeSettings(null, null, null, false, null), 0.0))
                .hasMessage("rpe.shared-head must be true in an AutoFormer space: its members differ in heads");
    }
}
