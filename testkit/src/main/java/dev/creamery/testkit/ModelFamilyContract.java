package dev.creamery.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.api.nn.Autograd;
import dev.creamery.api.nn.ConvolutionShape;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.Taps;
import dev.creamery.engine.EngineCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * What every {@link ModelFamily} must do, checked for every registered variant: the reported
 * parameter count equals the built block's, the output has the right shape and is finite, every
 * learnable parameter receives a gradient, the weights round-trip by their {@code state_dict} names, and every
 * convolution a variant runs is one the engine check verifies on each CPU.
 */
public abstract class ModelFamilyContract {
    /** @return the family under test */
    protected abstract ModelFamily family();

    /**
     * The task the forward, gradient and round-trip checks build a variant for. By default the
     * variant's own task; return something smaller to keep the tests fast.
     *
     * @param variant a variant
     * @return the task
     */
    protected Task smallTask(Variant variant) {
        return variant.task();
    }

    /**
     * The layers a variant reports to {@link Taps} for weight distillation: its transformer blocks, a
     * multiplexed block once per use. By default none (a family without self-attention).
     *
     * @param variant a variant
     * @return the number of layers
     */
    protected int reportedLayers(Variant variant) {
        return 0;
    }

    /** Each reported layer gives its queries, keys and values and its output, and no more layers are reported. */
    @TestFactory
    Stream<DynamicTest> reportsItsLayersForWeightDistillation() {
        return family().variants().stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> {
            Task task = smallTask(v);
            int layers = reportedLayers(v);
            try (NDManager manager = NDManager.newBaseManager()) {
                Block block = Blocks.initialize(family().build(v.architecture(), task), manager, task);
                NDArray input = Blocks.randomInput(manager, task, 1, 3);
                try (Taps taps = Taps.record(IntStream.range(0, layers).boxed().toList())) {
                    Blocks.forward(block, input, false);
                    assertThat(taps.attention()).hasSize(layers).allSatisfy(qkv -> {
                        assertThat(qkv).hasSize(3);
                        assertThat(qkv[0].getShape().dimension()).isEqualTo(3);
                    });
                    assertThat(taps.hidden()).hasSize(layers).allSatisfy(h -> assertThat(h.getShape().dimension()).isEqualTo(3));
                }
                try (Taps taps = Taps.record(List.of(layers))) {
                    Blocks.forward(block, input, false);
                    assertThatThrownBy(taps::attention).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("reported " + layers + " attention layer");
                    assertThatThrownBy(taps::hidden).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("reported " + layers + " block");
                }
            }
        }));
    }

    @Test
    void variantsHaveUniqueConventionalNames() {
        var names = family().variants().stream().map(Variant::name).toList();
        assertThat(names).isNotEmpty().doesNotHaveDuplicates().allMatch(n -> n.matches("[a-z][a-z0-9]*(-[a-z0-9.]+)+"));
        for (Variant variant : family().variants()) {
            assertThat(family().variant(variant.name())).isEqualTo(variant);
        }
    }

    /**
     * The engine check verifies, on each new CPU, the convolutions that the catalogues on the class
     * path list; a family's jar lists those of its variants in
     * {@code src/main/resources/dev/creamery/engine/convolutions.txt}, so that none runs unchecked.
     */
    @TestFactory
    Stream<DynamicTest> everyConvolutionIsOneTheEngineCheckVerifies() {
        Set<String> checked = EngineCheck.checkedConvolutions();
        return family().variants().stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> {
            Block block = family().build(v.architecture(), v.task());
            if (block instanceof Module module) {
                Macs macs = new Macs();
                module.trace(v.task().inputShape(1), macs);
                List<String> missing = macs.convolutions().stream().map(ConvolutionShape::catalogueLine).filter(l -> !checked.contains(l))
                        .toList();
                assertThat(missing).as("convolutions of %s that no engine-check catalogue lists; add these lines to the plugin's "
                        + "src/main/resources/dev/creamery/engine/convolutions.txt", v.name()).isEmpty();
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> reportedParametersEqualTheBlock() {
        return family().variants().stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                Block block = Blocks.initialize(family().build(v.architecture(), v.task()), manager, v.task());
                assertThat(StateDict.countParameters(block)).isEqualTo(family().complexity(v.architecture(), v.task()).params());
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> outputHasTheTaskShapeAndIsFinite() {
        return family().variants().stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> {
            Task task = smallTask(v);
            try (NDManager manager = NDManager.newBaseManager()) {
                Block block = Blocks.initialize(family().build(v.architecture(), task), manager, task);
                NDArray logits = Blocks.forward(block, Blocks.randomInput(manager, task, 2, 1), false);
                assertThat(logits.getShape().getShape()).containsExactly(2, task.classes());
                assertThat(logits.isInfinite().any().getBoolean() || logits.isNaN().any().getBoolean()).isFalse();
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyParameterReceivesAGradient() {
        return family().variants().stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> {
            Task task = smallTask(v);
            try (NDManager manager = NDManager.newBaseManager()) {
                Block block = Blocks.initialize(family().build(v.architecture(), task), manager, task);
                NDArray input = Blocks.randomInput(manager, task, 2, 2);
                Map<String, Double> norms = new LinkedHashMap<>();
                // Both modes: a training-only branch (an auxiliary head) has a gradient only in training, and the
                // bias of a batch norm whose output reaches the loss only through another conv and batch norm has
                // none there (in training the next norm removes any constant shift) but has one in evaluation.
                for (boolean training : new boolean[] {true, false}) {
                    try (GradientCollector collector = Autograd.record()) {
                        NDArray logits = Blocks.forward(block, input, training);
                        // A random projection of the logits: every class contributes, so every parameter should too.
                        collector.backward(logits.mul(manager.randomUniform(-1f, 1f, logits.getShape())).sum());
                    }
                    for (Map.Entry<String, Parameter> entry : StateDict.names(block).entrySet()) {
                        if (entry.getValue().requiresGradient()) {
                            double norm = entry.getValue().getArray().getGradient().abs().sum().getFloat();
                            norms.merge(entry.getKey(), norm, Math::max);
                        }
                    }
                }
                norms.forEach((name, norm) -> assertThat(norm).as("gradient of " + name + " in training or evaluation").isGreaterThan(0));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> weightsRoundTripThroughTheirStateDictNames() {
        return family().variants().stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> {
            Task task = smallTask(v);
            try (NDManager manager = NDManager.newBaseManager()) {
                Block original = Blocks.initialize(family().build(v.architecture(), task), manager, task);
                // Serialised and read back in memory (DJL's own encoding), so every tensor leaves the block by name and returns.
                NDList encoded = new NDList();
                StateDict.tensors(original).forEach((name, tensor) -> {
                    NDArray named = tensor.duplicate();
                    named.setName(name);
                    encoded.add(named);
                });
                Map<String, NDArray> decoded = new LinkedHashMap<>();
                for (NDArray tensor : NDList.decode(manager, encoded.encode())) {
                    decoded.put(tensor.getName(), tensor);
                }
                Block copy = Blocks.initialize(family().build(v.architecture(), task), manager, task);
                StateDict.load(copy, decoded, v.name() + " state_dict");
                NDArray input = Blocks.randomInput(manager, task, 2, 4);
                NDArray a = Blocks.forward(original, input, false);
                NDArray b = Blocks.forward(copy, input, false);
                assertThat(a.sub(b).abs().max().getFloat()).isEqualTo(0f);
            }
        }));
    }
}
