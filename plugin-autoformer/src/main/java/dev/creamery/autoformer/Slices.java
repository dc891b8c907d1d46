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

    /**
     * The leading part of every group: along a dimension of {@code groups[d]} equal, consecutive
     * groups (the query, key and value rows of a projection; the four gathered pixels of a patch
     * merging), a member keeps the leading {@code shape[d] / groups[d]} entries of each group, as
     * the official code lays out a network built at the member's own widths.
     *
     * @param value a tensor at least as large as {@code shape} along every dimension
     * @param groups the number of groups along each dimension (1 for a plain leading slice)
     * @param shape the shape to keep; each size a multiple of its groups
     * @param owner owns the result
     * @return the member's part, laid out as the member's own tensor
     */
    static NDArray grouped(NDArray value, int[] groups, Shape shape, NDManager owner) {
        Shape full = value.getShape();
        if (groups.length != shape.dimension()) {
            throw new IllegalArgumentException("need one group count per dimension of " + shape + ", got " + groups.length);
        }
        long[] whole = new long[groups.length];
        long[] split = new long[2 * groups.length];
        long[] keep = new long[2 * groups.length];
        boolean plain = true;
        for (int d = 0; d < groups.length; d++) {
            int g = groups[d];
            if (full.get(d) % g != 0 || shape.get(d) % g != 0) {
                throw new IllegalArgumentException("cannot split " + full + " or " + shape + " into " + g + " groups along dimension " + d);
            }
            plain &= g == 1;
            whole[d] = g == 1 ? shape.get(d) : full.get(d);
            split[2 * d] = g;
            split[2 * d + 1] = whole[d] / g;
            keep[2 * d] = g;
            keep[2 * d + 1] = shape.get(d) / g;
        }
        // The first cut lands in the owner's manager, so the reshapes after it never touch the parameter's.
        NDArray part = leading(value, new Shape(whole), owner);
        if (plain) {
            return part;
        }
        return leading(part.reshape(new Shape(split)), new Shape(keep), owner).reshape(shape);
    }
}
