package dev.creamery.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.creamery.api.CheckpointMismatchException;
import dev.creamery.api.StateDict;
import dev.creamery.api.nn.Module;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What loading an official checkpoint needs beyond names: the official {@code state_dict} also holds
 * buffers this plugin derives. BatchNorm's {@code num_batches_tracked} counters (used only when the
 * momentum is unset, which it never is here) are dropped; {@code attention_bias_idxs} buffers are
 * compared with the index the network derives and dropped when equal.
 */
final class OfficialCheckpoint {
    private static final String BATCHES_TRACKED = "num_batches_tracked";

    private OfficialCheckpoint() {}

    /**
     * @param tensors an official checkpoint by name
     * @param network the network it is for
     * @param source what the checkpoint is, for the error message
     * @return the tensors without the derived buffers
     * @throws CheckpointMismatchException listing every index buffer that differs from the derived one
     */
    static Map<String, NDArray> withoutDerivedBuffers(Map<String, NDArray> tensors, Module network, String source) {
        Map<String, AttentionBias> indexes = indexNames(network);
        Map<String, NDArray> kept = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            String name = entry.getKey();
            NDArray tensor = entry.getValue();
            if (lastPart(name).equals(BATCHES_TRACKED)) {
                continue;
            }
            AttentionBias bias = indexes.get(name);
            if (bias == null) {
                kept.put(name, tensor);
                continue;
            }
            long n = (long) bias.resolution() * bias.resolution();
            if (!tensor.getShape().equals(new Shape(n, n)) || !bias.matches(tensor.toType(DataType.INT64, false).toLongArray())) {
                problems.add(name + " " + tensor.getShape() + " is not the offset index of the model's " + bias.resolution()
                        + "x" + bias.resolution() + " attention window");
            }
        }
        if (!problems.isEmpty()) {
            throw new CheckpointMismatchException(source, problems);
        }
        return kept;
    }

    /**
     * Reshapes matrices to the 1x1 convolution kernels the network has under the same name, as the
     * official EfficientViT loader does ({@code d[k][:, :, None, None]}).
     */
    static Map<String, NDArray> withPointwiseKernels(Map<String, NDArray> tensors, Module network) {
        Map<String, Parameter> parameters = StateDict.names(network);
        Map<String, NDArray> adapted = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> {
            Parameter parameter = parameters.get(name);
            Shape shape = tensor.getShape();
            if (parameter != null && shape.dimension() == 2
                    && parameter.getShape().equals(new Shape(shape.get(0), shape.get(1), 1, 1))) {
                adapted.put(name, tensor.reshape(parameter.getShape()));
            } else {
                adapted.put(name, tensor);
            }
        });
        return adapted;
    }

    /** The official name of every derived index buffer, next to its table's name. */
    private static Map<String, AttentionBias> indexNames(Module network) {
        Map<Parameter, AttentionBias> tables = new IdentityHashMap<>();
        collect(network, tables);
        Map<String, AttentionBias> names = new LinkedHashMap<>();
        StateDict.names(network).forEach((name, parameter) -> {
            AttentionBias bias = tables.get(parameter);
            if (bias != null) {
                names.put(name.substring(0, name.length() - AttentionBias.TABLE.length()) + AttentionBias.INDEX, bias);
            }
        });
        return names;
    }

    private static void collect(Block block, Map<Parameter, AttentionBias> tables) {
        if (block instanceof AttentionBias.Owner owner) {
            tables.put(owner.bias().table(), owner.bias());
        }
        for (Block child : block.getChildren().values()) {
            collect(child, tables);
        }
    }

    private static String lastPart(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
