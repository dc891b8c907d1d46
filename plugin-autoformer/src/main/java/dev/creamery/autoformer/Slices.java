package dev.creamery.autoformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Weight entanglement: a smaller member uses the leading part of every shared tensor, along every
 * dimension, as the official super modules do ({@code weight[:out, :in]}, {@code bias[:out]}).
 */
final class Slices {
    private Slices() {}

    /**
     * @param value a parameter's value
     * @param like an array of the forward pass: a slice joins its manager, not the parameter's, so
     *     that it is freed with the step (an op on a parameter otherwise lives as long as the model)
     * @param sizes the leading size to keep along each dimension, from the first
     * @return a view of the leading part (the whole value if nothing is cut), owned by
     *     {@code like}'s manager, so later ops on it are freed with the step too; the gradient flows
     *     back into the leading part only
     */
    static NDArray leading(NDArray value, NDArray like, long... sizes) {
        Shape shape = value.getShape();
        StringBuilder index = new StringBuilder();
        for (int d = 0; d < sizes.length; d++) {
            if (sizes[d] > shape.get(d)) {
                throw new IllegalArgumentException("cannot take " + sizes[d] + " of " + shape.get(d) + " along dimension " + d);
            }
            index.append(d == 0 ? "" : ",").append(":").append(sizes[d]);
        }
        return value.get(like.getManager(), new NDIndex(index.toString()));
    }

    /**
     * @param value a tensor at least as large as {@code shape} along every dimension
     * @param shape the shape to keep
     * @param owner owns the result
     * @return the leading {@code shape} of the value
     */
    static NDArray leading(NDArray value, Shape shape, NDManager owner) {
        if (value.getShape().dimension() != shape.dimension()) {
            throw new IllegalArgumentException("cannot slice " + value.getShape() + " to " + shape);
        }
        StringBuilder index = new StringBuilder();
        for (int d = 0; d < shape.dimension(); d++) {
            if (shape.get(d) > value.getShape().get(d)) {
                throw new IllegalArgumentException("cannot slice " + value.getShape() + " to " + shape);
            }
            index.append(d == 0 ? "" : ",").append(":").append(shape.get(d));
        }
        return value.get(owner, new NDIndex(index.toString()));
    }
}
