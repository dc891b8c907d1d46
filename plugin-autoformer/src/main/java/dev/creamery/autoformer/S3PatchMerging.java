package dev.creamery.autoformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * S3's {@code PatchMerging} between stages: each 2×2 group of tokens becomes one token of four
 * times the width, gathered in the official order {@code (0,0), (1,0), (0,1), (1,1)} (row offset
 * first), then {@code norm} (over the four parts together) and the bias-free {@code reduction} to
 * the next stage's width. A member of a narrower stage reads the leading part of each of the four
 * parts of {@code norm} and of {@code reduction}'s inputs.
 */
final class S3PatchMerging extends Module {
    private static final int PARTS = 4;

    private final int resolution;
    private final SuperLinear reduction;
    private final SuperLayerNorm norm;

    /**
     * @param maxIn the largest width of the stage it closes
     * @param maxOut the largest width of the next stage
     * @param resolution the side of the token grid it merges (even)
     */
    S3PatchMerging(int maxIn, int maxOut, int resolution) {
        this.resolution = resolution;
        reduction = addChildBlock("reduction", SuperLinear.grouped(PARTS * maxIn, PARTS, maxOut, 1, false));
        norm = addChildBlock("norm", new SuperLayerNorm(PARTS * maxIn, PARTS));
    }

    /**
     * @param in the active width of the stage it closes
     * @param out the active width of the next stage
     */
    void activate(int in, int out) {
        reduction.activate(PARTS * in, out);
        norm.activate(PARTS * in);
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        long batch = x.getShape().get(0);
        long channels = x.getShape().get(2);
        long half = resolution / 2;
        // (batch, row pair, row offset, column pair, column offset, C) -> column offset outside the row offset.
        NDArray merged = x.reshape(batch, half, 2, half, 2, channels).transpose(0, 1, 3, 4, 2, 5).reshape(batch, half * half, PARTS * channels);
        return reduction.apply(store, norm.apply(store, merged, training), training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        long half = resolution / 2;
        return reduction.trace(norm.trace(new Shape(input.get(0), half * half, PARTS * input.get(2)), macs), macs);
    }

    /** @return the parameters the active member reads */
    List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(List.of(reduction.parameters()));
        all.addAll(List.of(norm.parameters()));
        return all;
    }
}
