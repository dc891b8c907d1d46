package dev.creamery.asvit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The official measurement protocol ({@code TEG.set_network} and {@code get_ntk_exp} in
 * {@code teg.py}): the network is measured {@code repeats} times, each time with freshly drawn
 * weights ({@code _init_weights}; the patch-embedding convolution is drawn once and shared, as the
 * official deep copies share it); each repeat measures the NTK condition number with the layer norms
 * on, then the length distortion along its own curve with them off; the results are averaged over
 * the repeats.
 *
 * @param batchSize images in the NTK batch (official: 16)
 * @param repeats how many weight draws (official: 5)
 * @param curvePoints points on each curve (official: 10)
 * @param curveBatchSize curve points per forward pass (official: 6)
 */
public record TrainingFreeMeasures(int batchSize, int repeats, int curvePoints, int curveBatchSize) {
    /** Checks every count is usable. */
    public TrainingFreeMeasures {
        if (batchSize < 2) {
            throw new IllegalArgumentException("batch-size must be >= 2 (a condition number needs two images), got " + batchSize);
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        }
        if (curvePoints < 2) {
            throw new IllegalArgumentException("curve-points must be >= 2, got " + curvePoints);
        }
        if (curveBatchSize < 1) {
            throw new IllegalArgumentException("curve-batch-size must be >= 1, got " + curveBatchSize);
        }
    }

    /**
     * @param imageShape {@code (C, H, W)} of one input
     * @param random the random source
     * @return one curve per repeat, as the official code draws them once for a whole search
     */
    public List<Curve> curves(Shape imageShape, Random random) {
        List<Curve> curves = new ArrayList<>(repeats);
        for (int r = 0; r < repeats; r++) {
            curves.add(Curve.random(imageShape, curvePoints, random));
        }
        return curves;
    }

    /**
     * Measures a network; its weights are overwritten.
     *
     * @param network an initialised network
     * @param images the NTK batch, or null to skip the NTK
     * @param curves one curve per repeat, or null to skip the length distortion
     * @param random the source of the weight draws
     * @return the per-repeat values and their means
     */
    public Result measure(TrainingFreeNetwork network, NDArray images, List<Curve> curves, Random random) {
        if (curves != null && curves.size() != repeats) {
            throw new IllegalArgumentException(repeats + " repeats need " + repeats + " curves, got " + curves.size());
        }
        double[] ntk = new double[images == null ? 0 : repeats];
        double[] distortion = new double[curves == null ? 0 : repeats];
        network.reinitializeEmbedding(new Random(random.nextLong()));
        long[] seeds = new long[repeats];
        for (int r = 0; r < repeats; r++) {
            seeds[r] = random.nextLong();
        }
        NDManager manager = images != null ? images.getManager() : network.getParameters().valueAt(0).getArray().getManager();
        try {
            for (int r = 0; r < repeats; r++) {
                network.reinitialize(new Random(seeds[r]));
                network.normalization(true);
                if (images != null) {
                    ntk[r] = NtkCondition.compute(network, images);
                }
                if (curves != null) {
                    network.normalization(false);
                    distortion[r] = LengthDistortion.compute(network, curves.get(r), curveBatchSize, manager);
                }
            }
        } finally {
            network.normalization(true);
        }
        return new Result(ntk, distortion);
    }

    /**
     * @param ntk the NTK condition number of each repeat (empty if not measured)
     * @param lengthDistortion the length distortion of each repeat (empty if not measured)
     */
    public record Result(double[] ntk, double[] lengthDistortion) {
        /** @return the mean NTK condition number (NaN if not measured or any repeat is NaN) */
        public double meanNtk() {
            return mean(ntk);
        }

        /** @return the mean length distortion */
        public double meanLengthDistortion() {
            return mean(lengthDistortion);
        }

        private static double mean(double[] values) {
            return values.length == 0 ? Double.NaN : Arrays.stream(values).sum() / values.length;
        }

        @Override
        public String toString() {
            return "ntk " + Arrays.toString(ntk) + " length distortion " + Arrays.toString(lengthDistortion);
        }
    }
}
