package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Arithmetic with a constant that stays correct under autograd on DJL's PyTorch engine.
 *
 * <p>DJL turns a number into a tensor over a Java direct buffer that PyTorch does not own
 * ({@code from_blob}), and frees that buffer's Java side as soon as the op returns. Autograd saves
 * the constant of a multiplication for the backward pass; if the garbage collector reclaims the
 * buffer in between, the backward pass multiplies by whatever memory is there, and a rare training
 * step gets gradients of 1e30 or NaN. Use these instead of {@code NDArray.mul(Number)} and
 * {@code div(Number)} on anything a gradient flows through: the constant is copied into memory
 * PyTorch owns, which the saved graph keeps alive.
 */
public final class Scalars {
    private Scalars() {}

    /**
     * @param x an array, possibly part of a recorded graph
     * @param factor a constant
     * @return {@code x * factor}, in {@code x}'s manager and type
     */
    public static NDArray times(NDArray x, double factor) {
        NDManager manager = x.getManager();
        // A zero-dimensional constant takes the array's type in PyTorch's promotion; float64 keeps its precision.
        try (NDArray borrowed = x.getDataType() == DataType.FLOAT64 ? manager.create(factor) : manager.create((float) factor);
                NDArray owned = borrowed.duplicate()) {
            return x.mul(owned);
        }
    }
}
