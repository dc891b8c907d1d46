package dev.creamery.autoformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * AutoFormer's {@code Vision_TransformerSuper} (pre-norm, absolute position embeddings, a class
 * token): patch embedding, class token, position embeddings, encoder layers, a final layer norm,
 * then the class token or the mean of the patch tokens into the head. Children and parameters carry
 * the official {@code state_dict} names.
 *
 * <p>Built with the supernet's widths it is the supernet, and {@link #activate} picks the member that
 * forward passes run; built with one member's own widths (per layer) it is that member's standalone
 * network, whose tensors are exactly the leading slices the supernet would use. Layers beyond the
 * active depth are skipped, as the official identity layers.
 */
final class AutoFormerNetwork extends Module {
    private final Structure structure;
    private final int maxEmbed;
    private final int classes;
    private final long patches;
    private final Parameter posEmbed;
    private final Parameter clsToken;
    private final SuperPatchEmbed patchEmbed;
    private final List<SuperBlock> blocks = new ArrayList<>();
    private final SuperLayerNorm norm;
    private final SuperLinear head;
    private Subnet active;

    /**
     * @param structure what every member shares
     * @param task the input shape and classes
     * @param maxEmbed the largest embedding width
     * @param maxHidden the largest MLP hidden width of each layer (its length is the largest depth)
     * @param maxHeads the most heads of each layer
     * @param dropPathRate stochastic depth of the last layer, growing linearly from 0 at the first
     */
    AutoFormerNetwork(Structure structure, Task task, int maxEmbed, int[] maxHidden, int[] maxHeads, double dropPathRate) {
        this.structure = structure;
        this.maxEmbed = maxEmbed;
        this.classes = task.classes();
        int patch = structure.patchSize();
        if (task.height() % patch != 0 || task.width() % patch != 0) {
            throw new IllegalArgumentException("AutoFormer with patch size " + patch + " needs image sides that are multiples of "
                    + patch + "; the task has " + task.height() + "x" + task.width());
        }
        int rows = task.height() / patch;
        int columns = task.width() / patch;
        if ((structure.relativePosition() || structure.rpe() != null) && rows != columns) {
            throw new IllegalArgumentException("relative positions need a square patch grid; the task gives " + rows + "x" + columns);
        }
        this.patches = (long) rows * columns;
        posEmbed = parameter("pos_embed", Parameter.Type.OTHER, new Shape(1, patches + 1, maxEmbed),
                new TruncatedNormalInitializer(0.02f), true);
        clsToken = parameter("cls_token", Parameter.Type.OTHER, new Shape(1, 1, maxEmbed), new TruncatedNormalInitializer(0.02f), true);
        patchEmbed = addChildBlock("patch_embed_super", new SuperPatchEmbed(task.channels(), maxEmbed, patch));
        SuperAttention.RelativePositions relative = structure.relativePosition()
                ? new SuperAttention.RelativePositions(rows, structure.maxRelativePosition()) : null;
        int depth = maxHidden.length;
        for (int i = 0; i < depth; i++) {
            double rate = depth > 1 ? dropPathRate * i / (depth - 1) : 0;
            blocks.add(addChildBlock("blocks." + i,
                    new SuperBlock(maxEmbed, maxHidden[i], maxHeads[i], structure.headDim(), relative, structure.rpe(), rate)));
        }
        norm = addChildBlock("norm", new SuperLayerNorm(maxEmbed));
        head = addChildBlock("head", SuperLinear.of(maxEmbed, classes));
    }

    /**
     * Makes forward passes run one member.
     *
     * @param subnet the member
     * @throws IllegalArgumentException if it does not fit in this network
     */
    void activate(Subnet subnet) {
        if (subnet.depth() > blocks.size() || subnet.embedDim() > maxEmbed) {
            throw new IllegalArgumentException("a network of " + blocks.size() + " layers at width " + maxEmbed + " cannot run depth "
                    + subnet.depth() + " at width " + subnet.embedDim());
        }
        int embed = subnet.embedDim();
        patchEmbed.activate(embed);
        for (int i = 0; i < subnet.depth(); i++) {
            blocks.get(i).activate(embed, subnet.mlpRatios()[i], subnet.numHeads()[i]);
        }
        norm.activate(embed);
        head.activate(embed, classes);
        active = subnet;
    }

    /** @return the active member */
    Subnet active() {
        return active;
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        int embed = active.embedDim();
        NDArray tokens = patchEmbed.apply(store, x, training);
        long batch = tokens.getShape().get(0);
        NDArray cls = Slices.leading(store.getValue(clsToken, x.getDevice(), training), x, 1, 1, embed).broadcast(batch, 1, embed);
        NDArray sequence = NDArrays.concat(new NDList(cls, tokens), 1)
                .add(Slices.leading(store.getValue(posEmbed, x.getDevice(), training), x, 1, patches + 1, embed));
        for (int i = 0; i < active.depth(); i++) {
            sequence = blocks.get(i).applyScoped(store, sequence, training);
        }
        sequence = norm.apply(store, sequence, training);
        NDArray features = structure.globalPool() ? sequence.get(":, 1:, :").mean(new int[] {1}) : sequence.get(":, 0, :");
        return head.apply(store, features, training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        Shape tokens = patchEmbed.trace(input, macs);
        Shape sequence = new Shape(tokens.get(0), tokens.get(1) + 1, tokens.get(2));
        for (int i = 0; i < active.depth(); i++) {
            sequence = blocks.get(i).trace(sequence, macs);
        }
        return head.trace(new Shape(sequence.get(0), sequence.get(2)), macs);
    }

    /** @return the parameters the active member reads */
    List<Parameter> activeParameters() {
        List<Parameter> all = new ArrayList<>(List.of(posEmbed, clsToken));
        all.addAll(List.of(patchEmbed.parameters()));
        for (int i = 0; i < active.depth(); i++) {
            all.addAll(blocks.get(i).parameters());
        }
        all.addAll(List.of(norm.parameters()));
        all.addAll(List.of(head.parameters()));
        return all;
    }
}
