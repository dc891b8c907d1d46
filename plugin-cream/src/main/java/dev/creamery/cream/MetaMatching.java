package dev.creamery.cream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import dev.creamery.api.StateDict;
import dev.creamery.api.nn.Linear;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import java.util.List;

/**
 * The meta-matching network of Cream: the official {@code meta_layer}, one linear layer from a board
 * entry's {@code slice x classes} probability differences to a score (initialised U(-1, 1) as
 * timm's init gives a layer of one output), with the momentum buffers of its own SGD (Nesterov,
 * momentum 0.9, no weight decay, gradients clipped to norm 1, as the official meta step).
 */
final class MetaMatching extends Module {
    private static final float MOMENTUM = 0.9f;
    private static final double MAX_NORM = 1;

    private final Linear metaLayer;
    private final Parameter weightMomentum;
    private final Parameter biasMomentum;

    MetaMatching(int features) {
        metaLayer = addChildBlock("meta_layer", new Linear(features, 1));
        weightMomentum = parameter("momentum_weight", Parameter.Type.OTHER, new Shape(1, features), Initializer.ZEROS, false);
        biasMomentum = parameter("momentum_bias", Parameter.Type.OTHER, new Shape(1), Initializer.ZEROS, false);
        GoogleInit.apply(this);
    }

    /**
     * @param store where parameter values come from
     * @param differences {@code (slice, classes)}: a path's probabilities minus a board entry's
     * @return the {@code (1, 1)} matching score
     */
    NDArray score(ParameterStore store, NDArray differences) {
        return metaLayer.apply(store, differences.reshape(1, -1), true);
    }

    /**
     * @param store where parameter values come from
     * @param differences {@code (entries, slice * classes)}: the differences of several entries, one per row
     * @return the {@code (entries, 1)} matching scores
     */
    NDArray scores(ParameterStore store, NDArray differences) {
        return metaLayer.apply(store, differences, true);
    }

    /** @return the learnable tensors, weight then bias */
    List<Parameter> learnable() {
        return List.of(metaLayer.getParameters().get("weight"), metaLayer.getParameters().get("bias"));
    }

    /**
     * One Nesterov SGD step on the given gradients (weight, bias), clipped to norm 1 first.
     *
     * @param gradients in the order of {@link #learnable}
     * @param lr the learning rate
     * @param scope owns the temporaries
     */
    void step(List<NDArray> gradients, double lr, NDManager scope) {
        double squares = 0;
        for (NDArray g : gradients) {
            squares += g.square().sum().toType(DataType.FLOAT64, false).getDouble();
        }
        double norm = Math.sqrt(squares);
        double clip = norm > MAX_NORM ? MAX_NORM / (norm + 1e-6) : 1;
        List<Parameter> parameters = learnable();
        List<Parameter> buffers = List.of(weightMomentum, biasMomentum);
        for (int i = 0; i < parameters.size(); i++) {
            NDArray g = scope.zeros(gradients.get(i).getShape()).add(gradients.get(i)).mul((float) clip);
            NDArray buffer = buffers.get(i).getArray();
            NDArray momentum = scope.zeros(buffer.getShape()).add(buffer).mul(MOMENTUM).add(g);
            NDArray weight = parameters.get(i).getArray();
            NDArray updated = scope.zeros(weight.getShape()).add(weight).sub(g.add(momentum.mul(MOMENTUM)).mul((float) lr));
            StateDict.copy(momentum, buffer);
            StateDict.copy(updated, weight);
        }
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return score(store, x);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        return metaLayer.trace(new Shape(1, input.size()), macs);
    }
}
