package dev.creamery.asvit;

/** Settings records of the three training-free evaluators; defaults in {@code reference.conf}. */
public final class MeasureSettings {
    private MeasureSettings() {}

    /**
     * {@code creamery.evaluator.ntk-condition}.
     *
     * @param batchSize training images in the kernel (official: 16)
     * @param repeats weight draws averaged (official: 5)
     */
    public record Ntk(int batchSize, int repeats) {
        /** Checks the domain. */
        public Ntk {
            check(batchSize, repeats, 2, 1);
        }

        TrainingFreeMeasures measures() {
            return new TrainingFreeMeasures(batchSize, repeats, 2, 1);
        }
    }

    /**
     * {@code creamery.evaluator.length-distortion}.
     *
     * @param repeats weight draws (each with its own curve) averaged (official: 5)
     * @param curvePoints points on each curve (official: 10)
     * @param curveBatchSize points per forward pass (official: 6)
     */
    public record Length(int repeats, int curvePoints, int curveBatchSize) {
        /** Checks the domain. */
        public Length {
            check(2, repeats, curvePoints, curveBatchSize);
        }

        TrainingFreeMeasures measures() {
            return new TrainingFreeMeasures(2, repeats, curvePoints, curveBatchSize);
        }
    }

    /**
     * {@code creamery.evaluator.training-free}: both measures on the same weight draws.
     *
     * @param batchSize training images in the kernel (official: 16)
     * @param repeats weight draws averaged (official: 5)
     * @param curvePoints points on each curve (official: 10)
     * @param curveBatchSize points per forward pass (official: 6)
     */
    public record Both(int batchSize, int repeats, int curvePoints, int curveBatchSize) {
        /** Checks the domain. */
        public Both {
            check(batchSize, repeats, curvePoints, curveBatchSize);
        }

        TrainingFreeMeasures measures() {
            return new TrainingFreeMeasures(batchSize, repeats, curvePoints, curveBatchSize);
        }
    }

    private static TrainingFreeMeasures check(int batchSize, int repeats, int curvePoints, int curveBatchSize) {
        return new TrainingFreeMeasures(batchSize, repeats, curvePoints, curveBatchSize);
    }
}
