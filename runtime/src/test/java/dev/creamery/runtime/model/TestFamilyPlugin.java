package dev.creamery.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.Plugin;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.testkit.ToySpace;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model family for the runtime's own tests: perceptrons from the testkit's toy space, with
 * "official" checkpoints that carry an extra buffer the family drops on load.
 */
public final class TestFamilyPlugin extends Plugin {
    /** The name of the buffer official checkpoints of this family carry and blocks do not. */
    public static final String DERIVED_BUFFER = "num_batches_tracked";

    @Override
    protected void configure() {
        family("tiny-mlp", TinyMlp::new);
    }

    static final class TinyMlp implements ModelFamily {
        private final ToySpace space = new ToySpace();

        @Override
        public List<Variant> variants() {
            return List.of(
                    new Variant("tiny-mlp-s", Architecture.parse("depth=1 width=[16] activation=relu"), Task.square(1, 8, 4),
                            "one hidden layer"),
                    new Variant("tiny-mlp-l", Architecture.parse("depth=2 width=[32,32] activation=tanh"), Task.square(1, 8, 4),
                            "two hidden layers"));
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
            return space.build(architecture, task);
        }

        @Override
        public Map<String, NDArray> fromOfficial(Map<String, NDArray> tensors, Architecture architecture, Task task) {
            Map<String, NDArray> adapted = new LinkedHashMap<>(tensors);
            adapted.remove(DERIVED_BUFFER);
            return adapted;
        }
    }
}
