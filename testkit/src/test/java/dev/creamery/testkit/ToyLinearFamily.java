package dev.creamery.testkit;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import java.util.List;

/**
 * A linear classifier on the flattened image, {@code x W^T + b}, official names {@code 1.weight} and {@code 1.bias}:
 * the smallest family with reference fixtures ({@code /reference-toy/toy-a.*}, whose logits numpy computed).
 */
final class ToyLinearFamily implements ModelFamily {
    static final Task TASK = Task.square(1, 2, 3);

    private final List<Variant> variants;

    /** @param names the variant names, e.g. {@code toy-a} */
    ToyLinearFamily(String... names) {
        this.variants = java.util.Arrays.stream(names).map(n -> new Variant(n, Architecture.of("size", 1), TASK, n)).toList();
    }

    @Override
    public List<Variant> variants() {
        return variants;
    }

    @Override
    public Complexity complexity(Architecture architecture, Task task) {
        return new Complexity((long) task.classes() * (task.channels() * task.height() * task.width() + 1), 0);
    }

    @Override
    public Block build(Architecture architecture, Task task) {
        return new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(task.classes()).build());
    }
}
