package dev.creamery.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** A program that runs one convolution and prints the verdict in force: the child of {@link VerdictApplicationTest}. */
public final class OneConvolution {
    private OneConvolution() {}

    /** @param args none */
    public static void main(String[] args) {
        try (NDManager manager = Engine.getInstance().newBaseManager()) {
            NDArray x = manager.ones(new Shape(1, 24, 56, 56));
            NDArray w = manager.ones(new Shape(48, 24, 3, 3));
            NDArray y = x.getNDArrayInternal().convolution(x, w, null, new Shape(2, 2), new Shape(1, 1), new Shape(1, 1), 1)
                    .singletonOrThrow();
            System.out.println("centre " + y.getFloat(0, 0, 10, 10));
        }
        System.out.println("verdict " + EngineCheck.verdict().setting() + " " + EngineCheck.verdict().source());
    }
}
