package dev.creamery.cdarts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.creamery.api.StateDict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weights CDARTS's evaluation networks hand on from cycle to cycle (the official
 * {@code super_layers_pool}, synced with {@code copy_params_from_nas_layer} after every search epoch
 * and read back by {@code copy_params_from_super_layer} when the next cycle builds its network): an
 * operation's weights are kept per cell, node, input and operation, so a later genotype that keeps
 * an edge starts it where the last one left it; the stem, the preprocessing and the classifier carry
 * over as they are.
 */
final class EvaluationPool {
    private static final Pattern EDGE = Pattern.compile("nas_layers\\.(\\d+)\\.(\\d+)\\.dag\\.(\\d+)\\.(\\d+)\\.(.+)");

    private final Layout layout;
    private final NDManager manager;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();

    /**
     * @param layout the evaluation networks' layout
     * @param manager where the kept weights live (as long as the search)
     */
    EvaluationPool(Layout layout, NDManager manager) {
        this.layout = layout;
        this.manager = manager;
    }

    /** Keeps a copy of every tensor of the network under its genotype-independent name. */
    void store(CdartsNet network, Genotype genotype) {
        for (Map.Entry<String, Parameter> entry : StateDict.names(network).entrySet()) {
            NDArray value = entry.getValue().getArray();
            String key = key(entry.getKey(), genotype);
            NDArray kept = arrays.get(key);
            if (kept == null || !kept.getShape().equals(value.getShape())) {
                arrays.put(key, manager.zeros(value.getShape(), value.getDataType()).add(value));
            } else {
                StateDict.copy(value, kept);
            }
        }
    }

    /** Starts every tensor of the network that the pool holds from the pool's copy. */
    void restore(CdartsNet network, Genotype genotype) {
        for (Map.Entry<String, Parameter> entry : StateDict.names(network).entrySet()) {
            NDArray kept = arrays.get(key(entry.getKey(), genotype));
            if (kept != null && kept.getShape().equals(entry.getValue().getArray().getShape())) {
                StateDict.copy(kept, entry.getValue().getArray());
            }
        }
    }

    /** @return the kept tensors, by name, for checkpoints */
    Map<String, NDArray> arrays() {
        return arrays;
    }

    /** Restores {@link #arrays} from a checkpoint. */
    void load(Map<String, NDArray> saved) {
        arrays.clear();
        saved.forEach((name, value) -> arrays.put(name, manager.zeros(value.getShape(), value.getDataType()).add(value)));
    }

    /** An edge's tensors are named by the edge's operation and input instead of its place in the node. */
    private String key(String name, Genotype genotype) {
        Matcher m = EDGE.matcher(name);
        if (!m.matches()) {
            return name;
        }
        int layer = Integer.parseInt(m.group(1));
        int cell = Integer.parseInt(m.group(2));
        boolean reduction = layout.reduces()[layer] && cell == layout.cells()[layer] - 1;
        List<List<Genotype.Edge>> nodes = reduction ? genotype.reduce() : genotype.normal();
        int node = Integer.parseInt(m.group(3));
        Genotype.Edge edge = nodes.get(node).get(Integer.parseInt(m.group(4)));
        return "nas_layers." + layer + "." + cell + ".dag." + node + "." + edge.op() + "@" + edge.input() + "." + m.group(5);
    }
}
