package dev.creamery.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.runtime.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A model named on the command line, ready to build: a family variant, a family architecture, or
 * a run's exported model.
 *
 * @param name what the user called it
 * @param family the family whose official checkpoints it loads, or null for a run's export (its
 *     weights already carry the block's own names)
 * @param architecture what is built
 * @param task the input shape and classes
 * @param complexity parameters and FLOPs
 * @param builder builds a fresh block for the architecture and task
 * @param mean input normalisation mean per channel (empty: ImageNet statistics for 3 channels)
 * @param std input normalisation standard deviation per channel
 */
public record ResolvedModel(String name, ModelFamily family, Architecture architecture, Task task, Complexity complexity,
        BiFunction<Architecture, Task, Block> builder, List<Double> mean, List<Double> std) {

    /**
     * @param other the input shape and classes to build for instead
     * @return this model built for another task
     * @throws IllegalArgumentException if this is a run's export (its weights fix its task) or the
     *     architecture cannot take that input
     */
    public ResolvedModel forTask(Task other) {
        if (family == null) {
            throw new IllegalArgumentException(name + " is a trained model for " + task + "; only a variant or family:architecture "
                    + "can be built for another input");
        }
        return new ResolvedModel(name, family, architecture, other, family.complexity(architecture, other), builder, mean, std);
    }

    /**
     * @param manager owns the parameters
     * @return a new initialised block (random weights)
     */
    public Block build(NDManager manager) {
        Block block = builder.apply(architecture, task);
        block.initialize(manager, DataType.FLOAT32, task.inputShape(1));
        return block;
    }

    /**
     * Builds the model and loads a checkpoint through the family's adaptation of official names.
     *
     * @param weights a safetensors file
     * @param manager owns the parameters
     * @return the loaded block
     * @throws dev.creamery.runtime.io.CorruptFileException if the file is not valid safetensors
     * @throws IOException if the file cannot be read
     */
    public Block load(Path weights, NDManager manager) throws IOException {
        Block block = build(manager);
        try (NDManager scratch = manager.newSubManager()) {
            Map<String, NDArray> tensors = Safetensors.read(weights, scratch);
            if (family != null) {
                tensors = family.fromOfficial(tensors, architecture, task);
            }
            StateDict.load(block, tensors, weights.toString());
        }
        return block;
    }
}
