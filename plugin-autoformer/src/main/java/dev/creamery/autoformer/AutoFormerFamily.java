package dev.creamery.autoformer;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.creamery.api.Architecture;
import dev.creamery.api.CheckpointMismatchException;
import dev.creamery.api.InvalidArchitectureException;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.OfficialFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AutoFormer subnets as standalone networks: variants {@code autoformer-t}, {@code autoformer-s} and
 * {@code autoformer-b} are the official {@code experiments/subnet/AutoFormer-*.yaml} members of the
 * official supernets. An architecture names its {@linkplain Preset preset} (the supernet it lives
 * in) and the member: {@code preset=supernet-t embed_dim=192 depth=13 mlp_ratio=[...] num_heads=[...]}.
 *
 * <p>The released checkpoints are whole supernets. Loading one for a member keeps the leading slice
 * of every tensor (the member's share under weight entanglement) and drops the layers beyond its
 * depth; a checkpoint of the member's own shapes (an exported model) loads as it is. Any other shape
 * is a mismatch, listed by name.
 */
public final class AutoFormerFamily extends OfficialFamily {
    static final String PRESET = "preset";
    private static final Task IMAGENET = Task.square(3, 224, 1000);
    private static final List<Variant> VARIANTS = List.of(
            variant("t", Preset.SUPERNET_T, 192, new double[] {3.5, 3.5, 3.0, 3.5, 3.0, 3.0, 4.0, 4.0, 3.5, 4.0, 3.5, 4.0, 3.5},
                    new int[] {3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 3, 3}, "5.8M params, 75.3% top-1"),
            variant("s", Preset.SUPERNET_S, 384, new double[] {3.0, 3.5, 3.0, 3.5, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 3.5, 4.0},
                    new int[] {6, 6, 5, 7, 5, 5, 5, 6, 6, 7, 7, 6, 7}, "22.9M params, 81.7% top-1"),
            variant("b", Preset.SUPERNET_B, 576, new double[] {3.5, 3.5, 4.0, 3.5, 4.0, 3.5, 3.5, 3.0, 4.0, 4.0, 3.0, 4.0, 3.0, 3.5},
                    new int[] {9, 9, 9, 9, 9, 10, 9, 9, 10, 9, 10, 9, 9, 10}, "53.7M params, 82.4% top-1"));

    private final AutoFormerFamilySettings settings;

    /** @param settings the family's settings */
    public AutoFormerFamily(AutoFormerFamilySettings settings) {
        this.settings = settings;
    }

    private static Variant variant(String size, Preset preset, int embed, double[] mlpRatios, int[] numHeads, String readme) {
        Architecture architecture = Architecture.builder().put(PRESET, preset.name()).put(Subnet.EMBED_DIM, embed)
                .put(Subnet.DEPTH, mlpRatios.length).put(Subnet.MLP_RATIO, toList(mlpRatios)).put(Subnet.NUM_HEADS, numHeads).build();
        return new Variant("autoformer-" + size, architecture, IMAGENET, "AutoFormer-" + size.toUpperCase(java.util.Locale.ROOT)
                + " in " + preset.name() + ", 224x224 ImageNet-1k (official README: " + readme + ")");
    }

    private static List<Double> toList(double[] values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        return list;
    }

    @Override
    public List<Variant> variants() {
        return VARIANTS;
    }

    @Override
    public Architecture parse(String text) {
        Architecture architecture = Architecture.parse(text);
        preset(architecture);
        Subnet.of(architecture);
        return architecture;
    }

    @Override
    protected Map<String, NDArray> adapt(Map<String, NDArray> tensors, Module network, Architecture architecture, Task task) {
        Preset preset = preset(architecture);
        Map<String, Parameter> model = StateDict.names(network);
        Map<String, Parameter> supernet = StateDict.names(new AutoFormerSpace(preset, settings.dropPathRate()).supernet(task).block());
        Map<String, NDArray> adapted = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        tensors.forEach((name, tensor) -> {
            Parameter own = model.get(name);
            Parameter wide = supernet.get(name);
            if (own != null && tensor.getShape().equals(own.getShape())) {
                adapted.put(name, tensor);
            } else if (wide != null && tensor.getShape().equals(wide.getShape())) {
                if (own != null) {
                    adapted.put(name, Slices.leading(tensor, own.getShape(), tensor.getManager()));
                }
            } else if (own != null || wide != null) {
                problems.add(name + " has shape " + tensor.getShape() + " but the model needs " + (own != null ? own : wide).getShape()
                        + " (or the " + preset.name() + " supernet's " + (wide != null ? wide.getShape() : "none") + ")");
            } else {
                problems.add("unexpected " + name + " " + tensor.getShape());
            }
        });
        if (!problems.isEmpty()) {
            throw new CheckpointMismatchException("the checkpoint", problems);
        }
        return adapted;
    }

    @Override
    protected AutoFormerNetwork network(Architecture architecture, Task task) {
        return AutoFormerSpace.standalone(preset(architecture).structure(), Subnet.of(architecture), task, settings.dropPathRate());
    }

    /** A member is built for the images and classes of its preset (a small preset: 28x28 or 32x32, 10 classes). */
    @Override
    public Task task(Architecture architecture) {
        return preset(architecture).task();
    }

    private static Preset preset(Architecture architecture) {
        if (!architecture.has(PRESET)) {
            throw new InvalidArchitectureException(PRESET, "an autoformer architecture names its preset (" + String.join(", ",
                    Preset.ALL.keySet()) + "), e.g. preset=tiny-28; got " + architecture.canonical());
        }
        try {
            return Preset.named(architecture.getString(PRESET));
        } catch (IllegalArgumentException e) {
            throw new InvalidArchitectureException(PRESET, e.getMessage());
        }
    }
}
