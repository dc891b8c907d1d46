package dev.creamery.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.testkit.Blocks;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every variant maps its published input and small inputs to finite logits of the task's shape. */
class ForwardShapeTest {
    static Stream<ModelFamily> families() {
        return Stream.of(new EfficientVitFamily(ReferenceConf.efficientVit()), new TinyVitFamily(ReferenceConf.tinyVit()));
    }

    @TestFactory
    Stream<DynamicTest> publishedInput() {
        return families().flatMap(family -> family.variants().stream().filter(v -> v.task().height() == 224)
                .map(v -> DynamicTest.dynamicTest(v.name(), () -> check(family, v, v.task(), 1))));
    }

    @Tag("slow")
    @TestFactory
    Stream<DynamicTest> publishedHighResolutionInput() {
        return families().flatMap(family -> family.variants().stream().filter(v -> v.task().height() > 224)
                .map(v -> DynamicTest.dynamicTest(v.name(), () -> check(family, v, v.task(), 1))));
    }

    @TestFactory
    Stream<DynamicTest> fashionMnist() {
        return families().flatMap(family -> family.variants().stream()
                .map(v -> DynamicTest.dynamicTest(v.name(), () -> check(family, v, Task.square(1, 28, 10), 2))));
    }

    @TestFactory
    Stream<DynamicTest> cifar10() {
        return families().flatMap(family -> family.variants().stream()
                .map(v -> DynamicTest.dynamicTest(v.name(), () -> check(family, v, Task.square(3, 32, 10), 2))));
    }

    /** At 128x128 the first EfficientViT stage (8x8) is padded to 14x14 for its 7x7 windows, as in the official code. */
    @TestFactory
    Stream<DynamicTest> paddedWindows() {
        ModelFamily efficientVit = new EfficientVitFamily(ReferenceConf.efficientVit());
        ModelFamily tinyVit = new TinyVitFamily(ReferenceConf.tinyVit());
        return Stream.of(
                DynamicTest.dynamicTest("efficientvit-m0 at 128",
                        () -> check(efficientVit, efficientVit.variant("efficientvit-m0"), Task.square(3, 128, 5), 2)),
                DynamicTest.dynamicTest("tinyvit-5m at 288",
                        () -> check(tinyVit, tinyVit.variant("tinyvit-5m"), Task.square(3, 288, 5), 1)));
    }

    private static void check(ModelFamily family, Variant variant, Task task, int batch) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Blocks.initialize(family.build(variant.architecture(), task), manager, task);
            NDArray logits = Blocks.forward(block, Blocks.randomInput(manager, task, batch, 7), false);
            assertThat(logits.getShape().getShape()).containsExactly(batch, task.classes());
            assertThat(logits.isNaN().any().getBoolean() || logits.isInfinite().any().getBoolean()).isFalse();
            assertThat(block.getOutputShapes(new ai.djl.ndarray.types.Shape[] {task.inputShape(batch)})[0])
                    .isEqualTo(logits.getShape());
        }
    }
}
