package dev.creamery.runtime.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Module;
import dev.creamery.runtime.model.ModelResolver;
import dev.creamery.runtime.model.ResolvedModel;
import dev.creamery.runtime.train.Engines;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A trained model whose output probabilities a student learns from. It runs in evaluation mode
 * without recording gradients; its parameters live in a manager of its own.
 */
public final class Teacher implements AutoCloseable {
    private final NDManager manager;
    private final Block block;

    private Teacher(NDManager manager, Block block) {
        this.manager = manager;
        this.block = block;
    }

    /**
     * @param resolver resolves the model name
     * @param name a variant, family:architecture (built for {@code task}) or a run's model.json
     * @param weights its safetensors weights
     * @param task the data's task, which the teacher must fit
     * @param parent the manager the teacher's own manager is made from
     * @return the loaded teacher
     * @throws IllegalArgumentException if the model is unknown or is trained for another task
     * @throws IOException if the weights cannot be read
     */
    public static Teacher load(ModelResolver resolver, String name, Path weights, Task task, NDManager parent) throws IOException {
        ResolvedModel resolved = resolve(resolver, name, task);
        NDManager manager = parent.newSubManager();
        try {
            Block block = resolved.load(weights, manager);
            Module.prepareInference(block);
            return new Teacher(manager, block);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * @param resolver resolves the model name
     * @param name the teacher, as for {@link #load}
     * @param task the data's task
     * @return the teacher's architecture in canonical form, without loading it
     * @throws IllegalArgumentException as {@link #load}
     * @throws IOException if a model.json cannot be read
     */
    public static String architecture(ModelResolver resolver, String name, Task task) throws IOException {
        return resolve(resolver, name, task).architecture().canonical();
    }

    private static ResolvedModel resolve(ModelResolver resolver, String name, Task task) throws IOException {
        ResolvedModel resolved = resolver.resolve(name);
        if (resolved.family() != null) {
            return resolved.forTask(task);
        }
        if (!resolved.task().equals(task)) {
            throw new IllegalArgumentException("the teacher " + name + " was trained for " + resolved.task() + ", the data is " + task);
        }
        return resolved;
    }

    /**
     * @param weights a file
     * @return its SHA-256, lower-case hex (the teacher's identity in a store's manifest)
     * @throws IOException if it cannot be read
     */
    public static String sha256(Path weights) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(weights), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param images a batch {@code (N, C, H, W)}; the result belongs to its manager
     * @return the teacher's class probabilities {@code (N, classes)}, the softmax of its logits
     */
    public NDArray probabilities(NDArray images) {
        return probabilities(images, 1);
    }

    /**
     * @param images a batch {@code (N, C, H, W)}; the result belongs to its manager
     * @param temperature the logits are divided by it
     * @return the teacher's class probabilities {@code (N, classes)} at the temperature
     */
    public NDArray probabilities(NDArray images, double temperature) {
        return Engines.withoutGradients(() -> {
            NDArray logits = block.forward(new ParameterStore(images.getManager(), false), new NDList(images), false).singletonOrThrow()
                    .toType(DataType.FLOAT32, false);
            return (temperature == 1 ? logits : logits.div(temperature)).softmax(1);
        });
    }

    /** The k most probable classes of each example, most probable first. */
    public record TopK(int k, float[] values, int[] indices) {}

    /**
     * @param probabilities {@code (N, classes)}, as from {@link #probabilities}
     * @param k classes to keep
     * @return per example, the k largest probabilities and their classes, row-major
     */
    public static TopK topK(NDArray probabilities, int k) {
        NDList top = probabilities.topK(k, 1, true, true);
        return new TopK(k, top.get(0).toFloatArray(), toInts(top.get(1).toType(DataType.INT64, false).toLongArray()));
    }

    private static int[] toInts(long[] values) {
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            ints[i] = (int) values[i];
        }
        return ints;
    }

    @Override
    public void close() {
        manager.close();
    }
}
