package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Dimension;
import dev.creamery.api.DimensionSpace;
import dev.creamery.api.InvalidArchitectureException;
import dev.creamery.api.Task;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared skeleton: members are checked, the largest runs first, extraction copies the member's share and keeps the active member. */
class AbstractSupernetTest {
    private static final Task TASK = Task.square(1, 1, 1);

    /** Scales its input by the sum of the leading {@code width} entries of its weights. */
    private static final class Leading extends Module {
        private final Parameter weight;
        private int width;

        Leading(int width) {
            this.width = width;
            weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(width), Initializer.ONES, true);
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            NDArray w = store.getValue(weight, x.getDevice(), training).get(x.getManager(), new ai.djl.ndarray.index.NDIndex(":{}", width));
            return x.mul(w.sum());
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return input;
        }
    }

    private static final class Space extends DimensionSpace {
        @Override
        public List<Dimension> dimensions() {
            return List.of(Dimension.of("width", List.of(1, 2, 3)));
        }

        @Override
        public Complexity complexity(Architecture architecture, Task task) {
            return new Complexity(architecture.getInt("width"), 0);
        }

        @Override
        public Block build(Architecture architecture, Task task) {
            validate(architecture);
            return new Leading(architecture.getInt("width"));
        }
    }

    private static final class Supernet extends AbstractSupernet<Leading> {
        private int selections;

        Supernet(Space space) {
            super(space, new Leading(3), TASK);
        }

        @Override
        protected void select(Architecture member) {
            selections++;
            network().width = member.getInt("width");
        }

        @Override
        protected Collection<Parameter> selectedParameters() {
            return List.of(network().weight);
        }

        @Override
        protected void copySelected(Block member, NDManager scratch) {
            NDArray share = network().weight.getArray().get(scratch, new ai.djl.ndarray.index.NDIndex(":{}", network().width));
            ((Leading) member).weight.getArray().set(share.toFloatArray());
        }
    }

    private static Architecture width(int width) {
        return Architecture.builder().put("width", width).build();
    }

    @Test
    void theLargestMemberRunsFirstAndOnlyMembersRunAtAll() {
        Supernet supernet = new Supernet(new Space());
        assertThat(supernet.selections).isZero();
        assertThat(supernet.active()).isEqualTo(width(3));
        supernet.activate(width(2));
        assertThat(supernet.network().width).isEqualTo(2);
        assertThatThrownBy(() -> supernet.activate(width(4))).isInstanceOf(InvalidArchitectureException.class);
        assertThat(supernet.active()).isEqualTo(width(2));
        assertThat(supernet.activeParameters()).containsExactly(supernet.network().weight);
    }

    @Test
    void anExtractedMemberHoldsItsShareAndTheActiveMemberStays() {
        Supernet supernet = new Supernet(new Space());
        try (NDManager manager = NDManager.newBaseManager()) {
            supernet.block().initialize(manager, DataType.FLOAT32, TASK.inputShape(1));
            supernet.network().weight.getArray().set(new float[] {1, 2, 4});
            Block alone = supernet.extract(width(2), manager);
            assertThat(((Leading) alone).weight.getArray().toFloatArray()).containsExactly(1, 2);
            assertThat(supernet.active()).isEqualTo(width(3));
            assertThat(supernet.network().width).isEqualTo(3);
        }
    }
}
