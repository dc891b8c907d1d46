package dev.creamery.asvit;

/**
 * The REINFORCE baseline of search/reinforce.py: an exponential moving average with bias
 * correction ({@code numerator / denominator}), so that the first value is its own average.
 */
public final class ExponentialMovingAverage {
    private final double momentum;
    private double numerator;
    private double denominator;

    /** @param momentum weight of the past, in [0, 1) (official: 0.9) */
    public ExponentialMovingAverage(double momentum) {
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("ema-momentum must be in [0, 1), got " + momentum);
        }
        this.momentum = momentum;
    }

    /** @param value the next value */
    public void update(double value) {
        numerator = momentum * numerator + (1 - momentum) * value;
        denominator = momentum * denominator + (1 - momentum);
    }

    /** @return the current average (NaN before the first update) */
    public double value() {
        return numerator / denominator;
    }
}
