package dev.creamery.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.creamery.api.Task;

/** Small helpers the contracts share for running blocks. */
public final class Blocks {
    private Blocks() {}

    /**
     * @param block an uninitialised block
     * @param manager owns its parameters
     * @param task the input shape
     * @return the block, initialised for batches of that shape
     */
    public static Block initialize(Block block, NDManager manager, Task task) {
        block.initialize(manager, DataType.FLOAT32, task.inputShape(1));
        return block;
    }

    /**
     * @param block an initialised block
     * @param input a batch
     * @param training whether to run in training mode
     * @return the block's first output
     */
    public static NDArray forward(Block block, NDArray input, boolean training) {
        return block.forward(new ParameterStore(input.getManager(), false), new NDList(input), training).singletonOrThrow();
    }

    /**
     * @param manager owns the array
     * @param task the input shape
     * @param batch the batch size
     * @param seed the random seed
     * @return a standard-normal batch
     */
    public static NDArray randomInput(NDManager manager, Task task, int batch, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] values = new float[Math.toIntExact(task.inputShape(batch).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return manager.create(values, task.inputShape(batch));
    }
}
