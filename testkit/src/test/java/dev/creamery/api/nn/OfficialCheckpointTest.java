package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.creamery.api.Architecture;
import dev.creamery.api.CheckpointMismatchException;
import dev.creamery.api.Complexity;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Derived buffers are named by their module's path, dropped when they hold what the module derives, and refused by name otherwise. */
class OfficialCheckpointTest {
    private static final Task TASK = Task.square(2, 4, 3);

    /** A module that derives a 2x2 index, as an attention derives its offset index, and holds a batch norm. */
    private static final class Indexed extends Module {
        private final Conv2d conv = addChildBlock("conv", new Conv2d(2, 2, 1, 1, 0, 1, false));
        private final BatchNorm bn = addChildBlock("bn", new BatchNorm(2, 1f));

        @Override
        public List<DerivedBuffer> derivedBuffers() {
            return List.of(DerivedBuffer.of("index", new Shape(2, 2), "a 2x2 index", new long[] {0, 1, 1, 0}));
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return bn.apply(store, conv.apply(store, x, training), training);
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return bn.trace(conv.trace(input, macs), macs);
        }
    }

    /** The network under test: the indexed module twice, so that paths tell the buffers apart. */
    private static Sequential network() {
        return new Sequential(new Indexed(), new Indexed());
    }

    @Test
    void modulesAreNamedByTheirPathAsTheStateDictNamesTheirParameters() {
        Sequential network = network();
        assertThat(StateDict.modules(network).keySet()).containsExactly("", "0", "0.conv", "0.bn", "1", "1.conv", "1.bn");
        assertThat(OfficialCheckpoint.derivedBuffers(network).keySet())
                .containsExactly("0.index", "0.bn.num_batches_tracked", "1.index", "1.bn.num_batches_tracked");
        assertThat(StateDict.names(network).keySet()).contains("0.conv.weight", "1.bn.running_var");
    }

    @Test
    void buffersHoldingTheDerivedValuesAreDroppedAndTheRestKeptInOrder() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> checkpoint = new LinkedHashMap<>();
            checkpoint.put("0.conv.weight", manager.ones(new Shape(2, 2, 1, 1)));
            checkpoint.put("0.index", manager.create(new long[] {0, 1, 1, 0}, new Shape(2, 2)));
            checkpoint.put("0.bn.num_batches_tracked", manager.create(123L));
            checkpoint.put("0.bn.weight", manager.ones(new Shape(2)));
            // The second module's buffers are absent, as in official releases that strip them.
            checkpoint.put("1.bn.bias", manager.zeros(new Shape(2)));
            Map<String, NDArray> kept = OfficialCheckpoint.withoutDerivedBuffers(checkpoint, network(), "toy.safetensors");
            assertThat(kept.keySet()).containsExactly("0.conv.weight", "0.bn.weight", "1.bn.bias");
        }
    }

    @Test
    void aBufferThatDiffersIsRefusedByNameWithEveryOther() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> checkpoint = new LinkedHashMap<>();
            checkpoint.put("0.index", manager.create(new long[] {0, 1, 2, 0}, new Shape(2, 2)));
            checkpoint.put("1.index", manager.create(new long[] {0, 1, 1, 0, 1, 0}, new Shape(2, 3)));
            checkpoint.put("1.bn.num_batches_tracked", manager.create(new long[] {5}, new Shape(1)));
            assertThatThrownBy(() -> OfficialCheckpoint.withoutDerivedBuffers(checkpoint, network(), "toy.safetensors"))
                    .isInstanceOf(CheckpointMismatchException.class)
                    .hasMessageStartingWith("toy.safetensors does not match the model (3 problems)")
                    .satisfies(e -> assertThat(((CheckpointMismatchException) e).mismatches()).containsExactly(
                            "0.index (2, 2) differs from the one the model derives (2, 2): a 2x2 index",
                            "1.index (2, 3) differs from the one the model derives (2, 2): a 2x2 index",
                            "1.bn.num_batches_tracked (1) differs from the one the model derives (): batch norm's batch counter,"
                                    + " which a fixed momentum never reads (any value)"));
        }
    }

    @Test
    void anOfficialFamilyTracesItsComplexityAndAdaptsAfterTheBuffersAreGone() {
        OfficialFamily family = new OfficialFamily() {
            @Override
            protected Module network(Architecture architecture, Task task) {
                return new Sequential(new Indexed(), new Linear(4, 3));
            }

            @Override
            protected Map<String, NDArray> adapt(Map<String, NDArray> tensors, Module network, Architecture architecture,
                    Task task) {
                assertThat(tensors).doesNotContainKey("0.index");
                Map<String, NDArray> renamed = new LinkedHashMap<>();
                tensors.forEach((name, tensor) -> renamed.put(name.replace("fc.", "1."), tensor));
                return renamed;
            }

            @Override
            public List<Variant> variants() {
                return List.of(new Variant("toy-s", Architecture.builder().build(), TASK, "toy"));
            }
        };
        Architecture architecture = family.variants().get(0).architecture();
        // A 1x1 convolution of 2 channels over 4x4 pixels (2 * 2 * 16), then a linear layer over the last axis of
        // (1, 2, 4, 4) (8 rows of 4 to 3); the batch norm's running statistics are not learnable.
        assertThat(family.complexity(architecture, TASK)).isEqualTo(new Complexity(4 + 4 + 4 * 3 + 3, 64 + 8 * 4 * 3));
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> checkpoint = new LinkedHashMap<>();
            checkpoint.put("0.index", manager.create(new long[] {0, 1, 1, 0}, new Shape(2, 2)));
            checkpoint.put("fc.weight", manager.ones(new Shape(3, 4)));
            assertThat(family.fromOfficial(checkpoint, architecture, TASK).keySet()).containsExactly("1.weight");
        }
    }
}
