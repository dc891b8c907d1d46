package dev.creamery.cdarts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * The official {@code MixedOp}: every operation of the space on one edge, their outputs summed with
 * the edge's softmax weights ({@code _ops.<i>}, in {@link Genotype#PRIMITIVES} order). Batch norms
 * have no affine parameters, so that the architecture weights alone scale the operations. The
 * {@code none} operation's term is zero whatever its weight and is not computed.
 */
final class MixedOp extends Module {
    private final List<Module> ops = new ArrayList<>();

    /**
     * @param channels the edge's width
     * @param stride 2 on a reduction cell's inputs, else 1
     */
    MixedOp(int channels, int stride) {
        for (int i = 0; i < Genotype.PRIMITIVES.size(); i++) {
            ops.add(addChildBlock("_ops." + i, CellOps.of(Genotype.PRIMITIVES.get(i), channels, stride, false)));
        }
    }

    /**
     * @param weights the edge's weights, {@code (ops)}, one per operation of {@link Genotype#PRIMITIVES}
     * @return {@code sum_i weights[i] * op_i(x)}
     */
    NDArray apply(ParameterStore store, NDArray x, NDArray weights, boolean training) {
        NDArray sum = null;
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof CellOps.Zero) {
                continue;
            }
            NDArray term = ops.get(i).apply(store, x, training).mul(weights.get(i));
            sum = sum == null ? term : sum.add(term);
        }
        return sum;
    }

    /** The mixture before any search: every operation weighted equally. */
    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return apply(store, x, x.getManager().full(new Shape(ops.size()), 1f / ops.size(), x.getDataType()), training);
    }

    /** Every operation runs: the mixture costs the sum of its operations. */
    @Override
    public Shape trace(Shape input, Macs macs) {
        Shape out = null;
        for (Module op : ops) {
            out = op.trace(input, macs);
        }
        return out;
    }
}
