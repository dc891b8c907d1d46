package dev.creamery.asvit;

import java.util.Random;

/**
 * The REINFORCE policy of search/reinforce.py: one categorical distribution per dimension, each
 * given by its own logits (initialised to {@code initScale * N(0, 1)}), trained by Adam with
 * PyTorch's defaults (betas 0.9 and 0.999, eps 1e-8) on {@code -log p(actions) * advantage}.
 */
public final class CategoricalPolicy {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final double[][] logits;
    private final double[][] m;
    private final double[][] v;
    private final double learningRate;
    private int step;

    /**
     * @param sizes candidates per dimension
     * @param initScale standard deviation of the initial logits (official: 1e-3)
     * @param learningRate Adam's learning rate (official: 0.08)
     * @param random draws the initial logits
     */
    public CategoricalPolicy(int[] sizes, double initScale, double learningRate, Random random) {
        this.learningRate = learningRate;
        logits = new double[sizes.length][];
        m = new double[sizes.length][];
        v = new double[sizes.length][];
        for (int d = 0; d < sizes.length; d++) {
            logits[d] = new double[sizes[d]];
            m[d] = new double[sizes[d]];
            v[d] = new double[sizes[d]];
            for (int i = 0; i < sizes[d]; i++) {
                logits[d][i] = initScale * random.nextGaussian();
            }
        }
    }

    /**
     * @param dimension a dimension
     * @return its probabilities (softmax of its logits)
     */
    public double[] probabilities(int dimension) {
        double[] l = logits[dimension];
        double max = Double.NEGATIVE_INFINITY;
        for (double x : l) {
            max = Math.max(max, x);
        }
        double[] p = new double[l.length];
        double sum = 0;
        for (int i = 0; i < l.length; i++) {
            p[i] = Math.exp(l[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < l.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /**
     * @param random the random source
     * @return one action (candidate index) per dimension
     */
    public int[] sample(Random random) {
        int[] actions = new int[logits.length];
        for (int d = 0; d < logits.length; d++) {
            double[] p = probabilities(d);
            double u = random.nextDouble();
            double cumulative = 0;
            actions[d] = p.length - 1;
            for (int i = 0; i < p.length; i++) {
                cumulative += p[i];
                if (u < cumulative) {
                    actions[d] = i;
                    break;
                }
            }
        }
        return actions;
    }

    /** @return the most probable action of each dimension (the first on ties, as {@code argmax}) */
    public int[] mode() {
        int[] actions = new int[logits.length];
        for (int d = 0; d < logits.length; d++) {
            double[] p = probabilities(d);
            for (int i = 1; i < p.length; i++) {
                if (p[i] > p[actions[d]]) {
                    actions[d] = i;
                }
            }
        }
        return actions;
    }

    /** @return the summed entropy of the dimensions */
    public double entropy() {
        double h = 0;
        for (int d = 0; d < logits.length; d++) {
            for (double p : probabilities(d)) {
                if (p > 0) {
                    h -= p * Math.log(p);
                }
            }
        }
        return h;
    }

    /**
     * One Adam step on {@code loss = -log p(actions) * advantage}, whose gradient with respect to a
     * dimension's logits is {@code -advantage * (onehot(action) - p)}.
     *
     * @param actions the sampled actions
     * @param advantage reward minus baseline
     */
    public void update(int[] actions, double advantage) {
        step++;
        double correction1 = 1 - Math.pow(BETA1, step);
        double correction2 = 1 - Math.pow(BETA2, step);
        for (int d = 0; d < logits.length; d++) {
            double[] p = probabilities(d);
            for (int i = 0; i < p.length; i++) {
                double g = -advantage * ((i == actions[d] ? 1 : 0) - p[i]);
                m[d][i] = BETA1 * m[d][i] + (1 - BETA1) * g;
                v[d][i] = BETA2 * v[d][i] + (1 - BETA2) * g * g;
                double denominator = Math.sqrt(v[d][i]) / Math.sqrt(correction2) + EPS;
                logits[d][i] -= learningRate / correction1 * m[d][i] / denominator;
            }
        }
    }
}
