package dev.creamery.testkit;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Dimension;
import dev.creamery.api.DimensionSpace;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Task;
import java.util.List;

/**
 * A small real space for strategy tests: a multi-layer perceptron with 1 to 3 hidden layers, each
 * 8, 16 or 32 wide, and a ReLU or tanh activation. {@link #score} is a deterministic stand-in for
 * accuracy that prefers deep, wide tanh networks, so a strategy's progress can be checked.
 */
public final class ToySpace extends DimensionSpace {
    private static final List<Dimension> DIMENSIONS = List.of(
            Dimension.structural("depth", List.of(1, 2, 3)),
            Dimension.perLayer("width", "depth", List.of(8, 16, 32)),
            Dimension.of("activation", List.of("relu", "tanh")));

    @Override
    public List<Dimension> dimensions() {
        return DIMENSIONS;
    }

    @Override
    public Complexity complexity(Architecture architecture, Task task) {
        long in = (long) task.channels() * task.height() * task.width();
        long params = 0;
        long flops = 0;
        for (int width : architecture.getIntList("width")) {
            params += in * width + width;
            flops += in * width;
            in = width;
        }
        return new Complexity(params + in * task.classes() + task.classes(), flops + in * task.classes());
    }

    @Override
    public Block build(Architecture architecture, Task task) {
        SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock());
        boolean tanh = architecture.getString("activation").equals("tanh");
        for (int width : architecture.getIntList("width")) {
            block.add(Linear.builder().setUnits(width).build());
            block.add(tanh ? Activation.tanhBlock() : Activation.reluBlock());
        }
        return block.add(Linear.builder().setUnits(task.classes()).build());
    }

    /**
     * @param architecture a member
     * @return a number in (0, 1] that grows with depth and width and favours tanh
     */
    public static double score(Architecture architecture) {
        double total = 0;
        for (int width : architecture.getIntList("width")) {
            total += width;
        }
        double bonus = architecture.getString("activation").equals("tanh") ? 4 : 0;
        return (total + bonus) / (3 * 32 + 4);
    }

    @Override
    public String toString() {
        return "toy MLP space";
    }
}
