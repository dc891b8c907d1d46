package dev.creamery.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.testkit.Blocks;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A forward or backward pass must not leave anything in the model's manager: an op started on a
 * parameter would put its result, and the graph behind it, there for good. The model's manager is
 * capped after initialisation, so any such op fails.
 */
class NativeMemoryTest {
    static Stream<String> variants() {
        return Stream.of("efficientvit-m0", "tinyvit-5m");
    }

    @ParameterizedTest
    @MethodSource("variants")
    void passesCreateNothingInTheModelsManager(String name) {
        ModelFamily family = name.startsWith("efficientvit")
                ? new EfficientVitFamily(ReferenceConf.efficientVit())
                : new TinyVitFamily(new TinyVitSettings(true, ReferenceConf.tinyVit().minInputSize(), 0.2));
        Variant variant = family.variant(name);
        Task task = Task.square(1, 28, 10);
        try (NDManager model = NDManager.newBaseManager()) {
            Block block = Blocks.initialize(family.build(variant.architecture(), task), model, task);
            int arrays = model.getManagedArrays().size();
            model.cap();
            NDArray weight = StateDict.tensors(block).values().iterator().next();
            assertThatThrownBy(() -> weight.mul(2)).as("the guard itself").isInstanceOf(IllegalStateException.class);
            for (boolean training : new boolean[] {true, false}) {
                try (NDManager step = NDManager.newBaseManager()) {
                    NDArray x = Blocks.randomInput(step, task, 2, 3);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = block.forward(new ParameterStore(step, false), new NDList(x), training).singletonOrThrow();
                        collector.backward(logits.sum());
                    }
                }
            }
            assertThat(model.getManagedArrays()).hasSize(arrays);
        }
    }
}
