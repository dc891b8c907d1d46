package dev.creamery.asvit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.creamery.api.HostArrays;
import java.util.Random;

/**
 * A great circle of radius 1 through input space, sampled at evenly spaced angles, as the official
 * length-distortion code builds it ({@code teg.py}): {@code x(theta) = U [cos theta, sin theta]} with
 * {@code U} an orthonormal pair of directions and {@code theta = linspace(0, 2 pi, points)}. The
 * velocity {@code dx/dtheta = U [-sin theta, cos theta]} is what the network's Jacobian is applied to.
 */
public final class Curve {
    private final Shape imageShape;
    private final float[] points;
    private final float[] velocities;
    private final int count;

    private Curve(Shape imageShape, float[] points, float[] velocities, int count) {
        this.imageShape = imageShape;
        this.points = points;
        this.velocities = velocities;
        this.count = count;
    }

    /**
     * Draws a circle: two standard-normal directions, made orthonormal (the column space the official
     * code takes from an SVD).
     *
     * @param imageShape {@code (C, H, W)} of one input
     * @param points how many angles (the official code uses 10)
     * @param random the random source
     * @return the curve
     */
    public static Curve random(Shape imageShape, int points, Random random) {
        int size = Math.toIntExact(imageShape.size());
        double[] a = new double[size];
        double[] b = new double[size];
        for (int i = 0; i < size; i++) {
            a[i] = random.nextGaussian();
            b[i] = random.nextGaussian();
        }
        return through(imageShape, points, a, b);
    }

    /**
     * @param imageShape {@code (C, H, W)} of one input
     * @param points how many angles
     * @param a a direction (flattened)
     * @param b another direction, not parallel to {@code a}
     * @return the circle in the plane of {@code a} and {@code b}, starting at {@code a}'s direction
     */
    public static Curve through(Shape imageShape, int points, double[] a, double[] b) {
        if (points < 2) {
            throw new IllegalArgumentException("a curve needs at least 2 points, got " + points);
        }
        int size = a.length;
        double[] e1 = a.clone();
        scale(e1, 1 / norm(e1));
        double[] e2 = b.clone();
        double dot = 0;
        for (int i = 0; i < size; i++) {
            dot += e1[i] * e2[i];
        }
        for (int i = 0; i < size; i++) {
            e2[i] -= dot * e1[i];
        }
        scale(e2, 1 / norm(e2));
        float[] x = new float[points * size];
        float[] v = new float[points * size];
        // torch.linspace in float32: start + i * (end - start) / (steps - 1).
        float step = (float) (2 * Math.PI) / (points - 1);
        for (int p = 0; p < points; p++) {
            double theta = (float) (p * step);
            double c = Math.cos(theta);
            double s = Math.sin(theta);
            for (int i = 0; i < size; i++) {
                x[p * size + i] = (float) (c * e1[i] + s * e2[i]);
                v[p * size + i] = (float) (-s * e1[i] + c * e2[i]);
            }
        }
        return new Curve(imageShape, x, v, points);
    }

    /** @return the number of points */
    public int size() {
        return count;
    }

    /**
     * @param manager owns the array
     * @param from first point
     * @param to one past the last point
     * @return the points {@code (to - from, C, H, W)}
     */
    public NDArray points(NDManager manager, int from, int to) {
        return slice(manager, points, from, to);
    }

    /**
     * @param manager owns the array
     * @param from first point
     * @param to one past the last point
     * @return the velocities at those points, same shape
     */
    public NDArray velocities(NDManager manager, int from, int to) {
        return slice(manager, velocities, from, to);
    }

    private NDArray slice(NDManager manager, float[] data, int from, int to) {
        int size = Math.toIntExact(imageShape.size());
        float[] part = java.util.Arrays.copyOfRange(data, from * size, to * size);
        long[] dims = new long[imageShape.dimension() + 1];
        dims[0] = to - from;
        System.arraycopy(imageShape.getShape(), 0, dims, 1, imageShape.dimension());
        return HostArrays.create(manager, part, new Shape(dims));
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static void scale(double[] v, double f) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= f;
        }
    }
}
