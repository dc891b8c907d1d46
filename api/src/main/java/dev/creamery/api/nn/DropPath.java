package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/** Stochastic depth (timm's {@code DropPath}): in training, drops a residual branch per sample. */
public final class DropPath {
    private DropPath() {}

    /**
     * @param branch the residual branch output, batch first
     * @param rate the probability of dropping it for a sample
     * @param training whether to run in training mode
     * @return the branch, zeroed for dropped samples and scaled by {@code 1 / (1 - rate)} for the others
     */
    public static NDArray apply(NDArray branch, double rate, boolean training) {
        if (!training || rate <= 0) {
            return branch;
        }
        float keep = (float) (1 - rate);
        long[] shape = new long[branch.getShape().dimension()];
        Arrays.fill(shape, 1);
        shape[0] = branch.getShape().get(0);
        NDArray mask = branch.getManager().randomUniform(0f, 1f, new Shape(shape), branch.getDataType(), branch.getDevice())
                .lt(keep).toType(branch.getDataType(), false).div(keep);
        return branch.mul(mask);
    }
}
