package dev.creamery.asvit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.creamery.api.Task;
import dev.creamery.testkit.Blocks;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Training steps and measurements leave nothing behind in the model's long-lived manager. */
@Tag("slow")
class NetworkMemoryTest {
    private static final Task TASK = Task.square(1, 28, 10);

    @Test
    void stepsAndMeasuresDoNotGrowTheModelManager() {
        AsVitFamily family = new AsVitFamily();
        try (NDManager model = NDManager.newBaseManager()) {
            AsVitNetwork network = family.build(family.parse("4,8,2,3|2,4,6,1|3,2,5,2|2,1,3,3|64,36"), TASK);
            Blocks.initialize(network, model, TASK);
            int before = model.getManagedArrays().size();
            for (int step = 0; step < 3; step++) {
                try (NDManager scope = model.newSubManager()) {
                    NDArray x = Blocks.randomInput(scope, TASK, 4, step);
                    try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
                        NDArray logits = Blocks.forward(network, x, true);
                        collector.backward(logits.square().mean());
                    }
                }
            }
            TrainingFreeMeasures measures = new TrainingFreeMeasures(4, 2, 6, 4);
            try (NDManager scope = model.newSubManager()) {
                List<Curve> curves = measures.curves(TASK.imageShape(), new Random(1));
                measures.measure(network, Blocks.randomInput(scope, TASK, 4, 9), curves, new Random(2));
                int during = model.getManagedArrays().size();
                measures.measure(network, Blocks.randomInput(scope, TASK, 4, 9), curves, new Random(2));
                assertThat(model.getManagedArrays().size()).isEqualTo(during + 1);
            }
            // Parameter gradients are attached to their parameters once; nothing else may stay.
            assertThat(model.getManagedArrays().size()).isLessThanOrEqualTo(before + 2 * network.getParameters().size());
        }
    }
}
