package dev.creamery.cream;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.creamery.api.Architecture;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.api.nn.AbstractSupernet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The official one-shot supernet of a {@link CreamSpace}: a {@link ChoiceLayer} of six blocks per
 * searchable layer (names {@code blocks.S.L.C.*} as the official {@code SuperNet}), the stem, the fixed
 * blocks and the head shared by every path.
 */
final class CreamSupernet extends AbstractSupernet<CreamNet> {
    /** A supernet tensor of choice C of a searchable layer, {@code blocks.S.L.C.rest}, S in 1..5. */
    private static final Pattern CHOICE = Pattern.compile("blocks\\.([1-5])\\.(\\d+)\\.(\\d+)\\.(.+)");

    private final List<List<ChoiceLayer>> layers;
    private final Set<Parameter> shared;

    CreamSupernet(CreamSpace space, Task task) {
        this(space, task, new ArrayList<>());
    }

    private CreamSupernet(CreamSpace space, Task task, List<List<ChoiceLayer>> layers) {
        super(space, CreamNet.supernet(space.depths(), task, layers), task);
        this.layers = layers;
        Set<Parameter> inChoices = new HashSet<>();
        for (List<ChoiceLayer> stage : layers) {
            for (ChoiceLayer layer : stage) {
                layer.getParameters().forEach(p -> inChoices.add(p.getValue()));
            }
        }
        shared = new LinkedHashSet<>();
        network().getParameters().forEach(p -> {
            if (p.getValue().requiresGradient() && !inChoices.contains(p.getValue())) {
                shared.add(p.getValue());
            }
        });
    }

    @Override
    protected void select(Architecture member) {
        List<List<Op>> path = Layout.blocks(member);
        for (int i = 0; i < layers.size(); i++) {
            for (int j = 0; j < layers.get(i).size(); j++) {
                layers.get(i).get(j).select(Op.CHOICES.indexOf(path.get(i).get(j)));
            }
        }
    }

    /** The shared learnable tensors and the selected blocks', as the official {@code rand_parameters} yields them. */
    @Override
    protected Collection<Parameter> selectedParameters() {
        List<Parameter> selected = new ArrayList<>(shared);
        for (List<ChoiceLayer> stage : layers) {
            for (ChoiceLayer layer : stage) {
                layer.choices().get(layer.selected()).getParameters().forEach(p -> {
                    if (p.getValue().requiresGradient()) {
                        selected.add(p.getValue());
                    }
                });
            }
        }
        return selected;
    }

    /** A child net's {@code blocks.S.L.rest} is the selected choice's {@code blocks.S.L.C.rest}; the rest has the same names. */
    @Override
    protected void copySelected(Block member, NDManager scratch) {
        Map<String, Parameter> child = StateDict.names(member);
        StateDict.names(network()).forEach((name, parameter) -> {
            Matcher m = CHOICE.matcher(name);
            String target = name;
            if (m.matches()) {
                ChoiceLayer layer = layers.get(Integer.parseInt(m.group(1)) - 1).get(Integer.parseInt(m.group(2)));
                if (Integer.parseInt(m.group(3)) != layer.selected()) {
                    return;
                }
                target = "blocks." + m.group(1) + "." + m.group(2) + "." + m.group(4);
            }
            StateDict.copy(parameter.getArray(), child.get(target).getArray());
        });
    }

    /** @return the choice layers, per searchable stage */
    List<List<ChoiceLayer>> layers() {
        return layers;
    }
}
