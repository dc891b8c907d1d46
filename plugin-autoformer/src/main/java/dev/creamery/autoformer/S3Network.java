package dev.creamery.autoformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.RpeConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * AutoFormerV2's {@code SSSTransformer}: a patch embedding with layer norm, stages of windowed
 * attention joined by patch merging, a final layer norm, the mean over tokens and the head.
 * Children and parameters carry the official {@code state_dict} names.
 *
 * <p>Built at a space's widest widths it is the supernet and {@link #activate} picks the member
 * that forward passes run; built at one member's own widths it is that member's standalone network
 * — the official network — whose tensors are exactly the member's shares of the supernet's.
 */
final class S3Network extends Module {
    private final int classes;
    private final SuperPatchEmbed patchEmbed;
    private final List<S3Stage> layers = new ArrayList<>();
    private final SuperLayerNorm norm;
    private final SuperLinear head;

    /**
     * @param task the input shape and classes
     * @param patch the side of a patch
     * @param headDim the width of a head
     * @param rpe iRPE in every window attention, or null
     * @param stages the largest widths of each stage
     * @param dropPathRate stochastic depth of the last block, growing linearly from 0 at the first
     */
    S3Network(Task task, int patch, int headDim, RpeConfig rpe, List<S3Stage.Widths> stages, double dropPathRate) {
        this.classes = task.classes();
        int reduction = patch << (stages.size() - 1);
        if (task.height() != task.width() || task.height() % reduction != 0) {
            throw new IllegalArgumentException("S3 with patch " + patch + " and " + stages.size() + " stages needs square images whose side is"
                    + " a multiple of " + reduction + "; the task has " + task.height() + "x" + task.width());
        }
        patchEmbed = addChildBlock("patch_embed", new SuperPatchEmbed(task.channels(), stages.get(0).embed(), patch, true));
        int blocks = stages.stream().mapToInt(S3Stage.Widths::depth).sum();
        int first = 0;
        for (int i = 0; i < stages.size(); i++) {
            S3Stage.Widths widths = stages.get(i);
            double[] rates = new double[widths.depth()];
            for (int j = 0; j < rates.length; j++) {
                rates[j] = blocks > 1 ? dropPathRate * (first + j) / (blocks - 1) : 0;
            }
            first += widths.depth();
            int resolution = (task.height() / patch) >> i;
            int next = i + 1 < stages.size() ? stages.get(i + 1).embed() : 0;
            try {
                layers.add(addChildBlock("layers." + i, new S3Stage(widths, headDim, rpe, resolution, next, rates)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("stage " + (i + 1) + " of S3 for " + task.height() + "x" + task.width()
                        + " images (patch " + patch + "): " + e.getMessage(), e);
            }
        }
        int last = stages.get(stages.size() - 1).embed();
        norm = addChildBlock("norm", new SuperLayerNorm(last));
        head = addChildBlock("head", SuperLinear.of(last, classes));
    }

    /**
     * @param preset the space's shared structure
     * @param member the member
     * @param task the input shape and classes
     * @param dropPathRate stochastic depth of the last block
     * @return the member's standalone network (its own widths), active, not initialised
     */
    static S3Network standalone(S3Preset preset, S3Member member, Task task, double dropPathRate) {
        List<S3Stage.Widths> widths = new ArrayList<>();
        for (S3Member.Stage stage : member.stages()) {
            int[] hidden = new int[stage.depth()];
            for (int j = 0; j < hidden.length; j++) {
                hidden[j] = S3Block.hidden(stage.embedDim(), stage.mlpRatios()[j]);
            }
            widths.add(new S3Stage.Widths(stage.depth(), stage.embedDim(), hidden, stage.numHeads(), List.of(stage.windowSize())));
        }
        S3Network network = new S3Network(task, preset.patchSize(), preset.headDim(), preset.rpe(), widths, dropPathRate);
        network.activate(member);
        return network;
    }

    /**
     * Makes forward passes run one member.
     *
     * @param member the member
     * @throws IllegalArgumentException if it does not fit in this network
     */
    void activate(S3Member member) {
        List<S3Member.Stage> stages = member.stages();
        if (stages.size() != layers.size()) {
            throw new IllegalArgumentException("a network of " + layers.size() + " stages cannot run " + stages.size());
        }
        patchEmbed.activate(stages.get(0).embedDim());
        for (int i = 0; i < stages.size(); i++) {
            int next = i + 1 < stages.size() ? stages.get(i + 1).embedDim() : 0;
            layers.get(i).activate(stages.get(i), next);
        }
        int last = stages.get(stages.size() - 1).embedDim();
        norm.activate(last);
        head.activate(last, classes);
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        NDArray tokens = patchEmbed.apply(store, x, training);
        for (S3Stage stage : layers) {
            tokens = stage.apply(store, tokens, training);
        }
        return head.apply(store, norm.apply(store, tokens, training).mean(new int[] {1}), training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        Shape tokens = patchEmbed.trace(input, macs);
        for (S3Stage stage : layers) {
            tokens = stage.trace(tokens, macs);
        }
        return head.trace(new Shape(tokens.get(0), tokens.get(2)), macs);
    }

    /** @return the parameters the active member reads */
    List<Parameter> activeParameters() {
        List<Parameter> all = new ArrayList<>(List.of(patchEmbed.parameters()));
        layers.forEach(stage -> all.addAll(stage.parameters()));
        all.addAll(List.of(norm.parameters()));
        all.addAll(List.of(head.parameters()));
        return all;
    }
}
