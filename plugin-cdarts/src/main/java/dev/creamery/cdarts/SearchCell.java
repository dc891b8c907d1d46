package dev.creamery.cdarts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.Sequential;
import java.util.ArrayList;
import java.util.List;

/**
 * The official {@code SearchCell}: both inputs preprocessed to {@code C} channels without affine
 * batch norms, then every node the sum of a {@link MixedOp} on every earlier state
 * ({@code dag.<node>.<input>}), the output the concat of all nodes. In a reduction cell the edges
 * from the cell's inputs have stride 2.
 */
final class SearchCell extends Module {
    private final Module preproc0;
    private final Module preproc1;
    private final List<List<MixedOp>> nodes = new ArrayList<>();
    private final boolean reduction;

    /**
     * @param nodes the intermediate nodes
     * @param reduction whether this is a reduction cell
     * @param previousReduction whether the cell before the previous one halves the side
     * @param channelsPrevPrev channels of the first input
     * @param channelsPrev channels of the second input
     * @param channels {@code C}, each node's width
     */
    SearchCell(int nodes, boolean reduction, boolean previousReduction, int channelsPrevPrev, int channelsPrev, int channels) {
        this.reduction = reduction;
        preproc0 = addChildBlock("preproc0", previousReduction ? new CellOps.FactorizedReduce(channelsPrevPrev, channels, false)
                : CellOps.stdConv(channelsPrevPrev, channels, false));
        preproc1 = addChildBlock("preproc1", CellOps.stdConv(channelsPrev, channels, false));
        Sequential dag = addChildBlock("dag", new Sequential());
        for (int n = 0; n < nodes; n++) {
            Sequential row = new Sequential();
            List<MixedOp> edges = new ArrayList<>();
            for (int input = 0; input < n + 2; input++) {
                MixedOp op = new MixedOp(channels, reduction && input < 2 ? 2 : 1);
                row.add(op);
                edges.add(op);
            }
            dag.add(row);
            this.nodes.add(edges);
        }
    }

    boolean reduction() {
        return reduction;
    }

    /**
     * @param weights per node, the softmax weights of its incoming edges, {@code (node + 2, ops)}
     * @return the concat of the nodes
     */
    NDArray apply(ParameterStore store, NDArray s0, NDArray s1, List<NDArray> weights, boolean training) {
        List<NDArray> states = new ArrayList<>();
        states.add(preproc0.apply(store, s0, training));
        states.add(preproc1.apply(store, s1, training));
        for (int n = 0; n < nodes.size(); n++) {
            NDArray sum = null;
            List<MixedOp> edges = nodes.get(n);
            for (int input = 0; input < edges.size(); input++) {
                NDArray out = edges.get(input).apply(store, states.get(input), weights.get(n).get(input), training);
                sum = sum == null ? out : sum.add(out);
            }
            states.add(sum);
        }
        return NDArrays.concat(new NDList(states.subList(2, states.size())), 1);
    }

    /** On one input, the cell takes it as both and weighs every operation equally. */
    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        List<NDArray> uniform = new ArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
            uniform.add(x.getManager().full(new Shape(n + 2, Genotype.PRIMITIVES.size()), 1f / Genotype.PRIMITIVES.size(),
                    x.getDataType()));
        }
        return apply(store, x, x, uniform, training);
    }

    Shape trace(Shape s0, Shape s1, Macs macs) {
        List<Shape> states = new ArrayList<>();
        states.add(preproc0.trace(s0, macs));
        states.add(preproc1.trace(s1, macs));
        for (List<MixedOp> edges : nodes) {
            Shape node = null;
            for (int input = 0; input < edges.size(); input++) {
                node = edges.get(input).trace(states.get(input), macs);
            }
            states.add(node);
        }
        Shape first = states.get(2);
        return new Shape(first.get(0), first.get(1) * nodes.size(), first.get(2), first.get(3));
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        return trace(input, input, macs);
    }
}
