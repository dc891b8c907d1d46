package dev.creamery.asvit;

import ai.djl.ndarray.NDArray;

/**
 * A value and its directional derivative, carried together through a forward pass (forward-mode
 * differentiation): if the input moves along a direction {@code v}, the output moves along
 * {@code tangent = J v}.
 *
 * @param value the activations
 * @param tangent their derivative along the input direction, same shape as {@code value}
 */
public record Tangent(NDArray value, NDArray tangent) {}
