package dev.creamery.runtime.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.Plugin;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.testkit.ToySpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model family for distillation tests, {@code recording-mlp}: the testkit's perceptrons, which
 * record every inference pass (the teacher's kind of call) and the images it saw.
 */
public final class RecordingFamilyPlugin extends Plugin {
    /** Images of each inference pass, row by row, since the last {@link #reset()}. */
    static final List<float[]> IMAGES = new ArrayList<>();
    private static int inferences;

    /** Forgets what was recorded. */
    static synchronized void reset() {
        IMAGES.clear();
        inferences = 0;
    }

    /** @return inference passes since the last reset */
    static synchronized int inferences() {
        return inferences;
    }

    private static synchronized void record(NDArray images) {
        inferences++;
        int rows = (int) images.getShape().get(0);
        float[] all = images.toFloatArray();
        int size = all.length / rows;
        for (int r = 0; r < rows; r++) {
            IMAGES.add(java.util.Arrays.copyOfRange(all, r * size, (r + 1) * size));
        }
    }

    @Override
    protected void configure() {
        family("recording-mlp", RecordingMlp::new);
    }

    static final class RecordingMlp implements ModelFamily {
        private final ToySpace space = new ToySpace();

        @Override
        public List<Variant> variants() {
            return List.of(new Variant("recording-mlp-l", Architecture.parse("depth=2 width=[32,32] activation=tanh"),
                    Task.square(1, 8, 4), "two hidden layers"));
        }

        @Override
        public Architecture parse(String text) {
            Architecture architecture = Architecture.parse(text);
            space.validate(architecture);
            return architecture;
        }

        @Override
        public Complexity complexity(Architecture architecture, Task task) {
            return space.complexity(architecture, task);
        }

        @Override
        public Block build(Architecture architecture, Task task) {
            return new Recording(space.build(architecture, task));
        }

        @Override
        public Map<String, NDArray> fromOfficial(Map<String, NDArray> tensors, Architecture architecture, Task task) {
            return tensors;
        }
    }

    /** Records inference passes, then runs the perceptron. */
    static final class Recording extends AbstractBlock {
        private final Block inner;

        Recording(Block inner) {
            this.inner = addChildBlock("inner", inner);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            if (!training) {
                record(inputs.singletonOrThrow());
            }
            return inner.forward(store, inputs, training, params);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inner.getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            inner.initialize(manager, dataType, inputShapes);
        }
    }
}
