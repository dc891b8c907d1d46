package dev.creamery.autoformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.creamery.api.StateDict;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A module whose tensors a smaller member of a supernet reads only in part (weight entanglement).
 * Forward passes and extraction both take a member's part through {@link #share}, so an extracted
 * network computes exactly what the supernet computes with that member active. A tensor of any other
 * module (iRPE's tables, shared across heads) is every member's whole.
 */
interface Entangled {
    /**
     * @param parameter one of this module's own parameters
     * @param value its value in the supernet
     * @param shape the shape of the tensor in a network built at the member's own widths
     * @param owner owns the result (the forward pass's manager, so the slice is freed with the step)
     * @return the part of the value the member reads, laid out as the member's own tensor; the
     *     gradient flows back into that part only
     */
    NDArray share(Parameter parameter, NDArray value, Shape shape, NDManager owner);

    /**
     * Fills a member's standalone network with its shares of a supernet's tensors, matched by name.
     *
     * @param supernet an initialised supernet
     * @param member an initialised network built at the member's own widths
     * @param scratch holds the intermediate slices
     */
    static void copyShares(Block supernet, Block member, NDManager scratch) {
        Map<Parameter, Entangled> owners = new IdentityHashMap<>();
        collect(supernet, owners);
        Map<String, Parameter> shared = StateDict.names(supernet);
        StateDict.names(member).forEach((name, parameter) -> {
            Parameter wide = shared.get(name);
            if (wide == null) {
                throw new IllegalArgumentException("the supernet has no tensor " + name);
            }
            Entangled owner = owners.get(wide);
            StateDict.copy(owner == null ? wide.getArray() : owner.share(wide, wide.getArray(), parameter.getShape(), scratch),
                    parameter.getArray());
        });
    }

    private static void collect(Block block, Map<Parameter, Entangled> owners) {
        if (block instanceof Entangled entangled) {
            block.getDirectParameters().values().forEach(p -> owners.put(p, entangled));
        }
        block.getChildren().values().forEach(child -> collect(child, owners));
    }
}
