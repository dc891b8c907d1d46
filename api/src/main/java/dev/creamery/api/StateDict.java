package dev.creamery.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names a block's parameters the way PyTorch names a {@code state_dict}, and loads named tensors
 * into them. (Reading and writing files is the runtime's business.)
 *
 * <p>A name is the path of child names joined by dots, then the parameter name, so blocks that
 * name their children and parameters after the official modules get the official names: a child
 * added as {@code addChildBlock("blocks.0", ...)} with a child {@code "attn"} whose child
 * {@code "qkv"} has a parameter {@code "weight"} is {@code blocks.0.attn.qkv.weight}. DJL's numeric
 * prefixes are dropped, children of a {@link SequentialBlock} are numbered from 0 like {@code nn.Sequential},
 * and DJL's own parameter names are mapped to PyTorch's ({@code gamma} to {@code weight},
 * {@code beta} to {@code bias}, {@code runningMean} to {@code running_mean}, {@code runningVar} to
 * {@code running_var}).
 */
public final class StateDict {
    private static final Map<String, String> DJL_TO_TORCH = Map.of(
            "gamma", "weight", "beta", "bias", "runningMean", "running_mean", "runningVar", "running_var");

    private StateDict() {}

    /**
     * @param block a block
     * @return its parameters by PyTorch-style name, in definition order
     */
    public static Map<String, Parameter> names(Block block) {
        Map<String, Parameter> names = new LinkedHashMap<>();
        modules(block).forEach((path, module) -> {
            for (Pair<String, Parameter> entry : module.getDirectParameters()) {
                names.put(qualified(path, DJL_TO_TORCH.getOrDefault(entry.getKey(), entry.getKey())), entry.getValue());
            }
        });
        return names;
    }

    /**
     * The block and all its descendants by path, as PyTorch's {@code named_modules}: what a module
     * declares about itself (its derived buffers) is named by its path.
     *
     * @param block a block
     * @return every block under it by dotted path ({@code ""} for the block itself), parents before
     *     their children, in definition order
     */
    public static Map<String, Block> modules(Block block) {
        Map<String, Block> modules = new LinkedHashMap<>();
        collect(block, "", modules);
        return modules;
    }

    /**
     * @param path a module's path from {@link #modules} ({@code ""} for the root)
     * @param name a name inside that module
     * @return the full {@code state_dict} name
     */
    public static String qualified(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /**
     * @param block an initialised block
     * @return the learnable parameters' element count (parameters that take gradients), as
     *     PyTorch's {@code sum(p.numel() for p in model.parameters() if p.requires_grad)}
     */
    public static long countParameters(Block block) {
        long count = 0;
        for (Parameter parameter : names(block).values()) {
            if (parameter.requiresGradient()) {
                count += parameter.getArray().getShape().size();
            }
        }
        return count;
    }

    /**
     * @param block an initialised block
     * @return its arrays by name (the live arrays, not copies)
     */
    public static Map<String, NDArray> tensors(Block block) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        names(block).forEach((name, parameter) -> tensors.put(name, parameter.getArray()));
        return tensors;
    }

    /**
     * Copies tensors into an initialised block's parameters, in place. Every parameter needs a
     * tensor of the same name, shape and type, and every tensor a parameter.
     *
     * @param block an initialised block
     * @param tensors the values by name
     * @param source what the tensors come from, for the error message
     * @throws CheckpointMismatchException listing every missing, unexpected and mis-shaped tensor
     */
    public static void load(Block block, Map<String, NDArray> tensors, String source) {
        Map<String, Parameter> parameters = names(block);
        List<String> problems = new ArrayList<>();
        parameters.forEach((name, parameter) -> {
            NDArray tensor = tensors.get(name);
            NDArray target = parameter.getArray();
            if (tensor == null) {
                problems.add("missing " + name + " " + target.getShape());
            } else if (!tensor.getShape().equals(target.getShape())) {
                problems.add(name + " has shape " + tensor.getShape() + " but the model needs " + target.getShape());
            } else if (tensor.getDataType() != target.getDataType()) {
                problems.add(name + " is " + tensor.getDataType() + " but the model needs " + target.getDataType());
            }
        });
        tensors.forEach((name, tensor) -> {
            if (!parameters.containsKey(name)) {
                problems.add("unexpected " + name + " " + tensor.getShape());
            }
        });
        if (!problems.isEmpty()) {
            throw new CheckpointMismatchException(source, problems);
        }
        parameters.forEach((name, parameter) -> copy(tensors.get(name), parameter.getArray()));
    }

    /**
     * Copies values into an existing array in place (a parameter keeps its identity and its
     * gradient flag), on the target's device.
     *
     * @param source the values, of the target's shape and type
     * @param target the array to overwrite
     */
    public static void copy(NDArray source, NDArray target) {
        if (!source.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("cannot copy " + source.getShape() + " into " + target.getShape());
        }
        boolean gradient = target.hasGradient();
        // An in-place write into a leaf that records gradients is refused by autograd: lift the flag around it.
        if (gradient) {
            target.setRequiresGradient(false);
        }
        NDArray values = source.getDevice().equals(target.getDevice()) ? source : source.toDevice(target.getDevice(), true);
        target.set(new NDIndex(":"), values);
        if (gradient) {
            target.setRequiresGradient(true);
        }
    }

    private static void collect(Block block, String path, Map<String, Block> modules) {
        modules.put(path, block);
        int position = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            String ordinal = String.format(java.util.Locale.ROOT, "%02d", position + 1);
            String key = child.getKey();
            String name = block instanceof SequentialBlock ? Integer.toString(position)
                    : key.startsWith(ordinal) ? key.substring(ordinal.length()) : key;
            position++;
            collect(child.getValue(), qualified(path, name), modules);
        }
    }
}
