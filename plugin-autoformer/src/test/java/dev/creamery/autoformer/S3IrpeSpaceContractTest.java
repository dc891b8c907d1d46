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
 * The search-space contract for S3's {@code tiny-28} space with iRPE in every window attention, beside
 * Swin's relative position bias and the shift mask: product method, contextual on queries and keys.
 * Members run windows of 7 and 14 tokens a side over the same tables.
 */
class S3IrpeSpaceContractTest extends SearchSpaceContract {
    @Override
    protected SearchSpace space() {
        return new S3Space(new S3SpaceSettings("tiny-28", null, null, null, null, null, new RpeSettings(null, null, null, null, "qk"),
                0.0));
    }

    @Override
    protected Task task() {
        return Task.square(1, 28, 10);
    }

    @Test
    void everyBlockAddsItsTables() {
        SearchSpace plain = new S3Space(S3Preset.TINY_28, 0.0);
        Architecture member = plain.sample(new Random(5));
        // Product with ratio 1.9: 7 x 7 offsets and no class token, a table of 49 x 16 (the head width) for each of q and k.
        long tables = 2 * 49 * 16;
        long blocks = member.getInt("stage1.depth") + member.getInt("stage2.depth");
        assertThat(space().complexity(member, task()).params() - plain.complexity(member, task()).params()).isEqualTo(blocks * tables);
    }

    @Test
    void tablesPerHeadAreRejected() {
        assertThatThrownBy(() -> new S3SpaceSettings("tiny-28", null, null, null, null, null, new RpeSettings(null, "bias", null, false,
                null), 0.0)).hasMessage("rpe.shared-head must be true in an S3 space: its members differ in heads");
    }
}
