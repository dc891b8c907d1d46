package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import dev.creamery.api.CheckpointMismatchException;
import dev.creamery.api.StateDict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prepares an official checkpoint for {@link StateDict#load}: the buffers the network's modules
 * derive ({@link Module#derivedBuffers()}) are taken out, each after a check that the checkpoint
 * holds exactly what the module derives. A checkpoint need not carry them (some official releases
 * strip them); one that carries a different value was made for another network, and loading its
 * weights would silently compute something else.
 */
public final class OfficialCheckpoint {
    private OfficialCheckpoint() {}

    /**
     * @param tensors an official checkpoint by name
     * @param network the network it is for, as built (a module's buffers may depend on its settings)
     * @param source what the checkpoint is, for the error message
     * @return the other tensors, in checkpoint order
     * @throws CheckpointMismatchException naming every derived buffer whose shape or values differ
     */
    public static Map<String, NDArray> withoutDerivedBuffers(Map<String, NDArray> tensors, Block network, String source) {
        Map<String, DerivedBuffer> derived = derivedBuffers(network);
        Map<String, NDArray> kept = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        tensors.forEach((name, tensor) -> {
            DerivedBuffer buffer = derived.get(name);
            if (buffer == null) {
                kept.put(name, tensor);
            } else if (!buffer.matches(tensor)) {
                problems.add(name + " " + tensor.getShape() + " differs from the one the model derives " + buffer.shape() + ": "
                        + buffer.meaning());
            }
        });
        if (!problems.isEmpty()) {
            throw new CheckpointMismatchException(source, problems);
        }
        return kept;
    }

    /**
     * @param network a network
     * @return every derived buffer its modules declare, by full {@code state_dict} name
     */
    public static Map<String, DerivedBuffer> derivedBuffers(Block network) {
        Map<String, DerivedBuffer> buffers = new LinkedHashMap<>();
        StateDict.modules(network).forEach((path, block) -> {
            if (block instanceof Module module) {
                for (DerivedBuffer buffer : module.derivedBuffers()) {
                    buffers.put(StateDict.qualified(path, buffer.name()), buffer);
                }
            }
        });
        return buffers;
    }
}
