package dev.creamery.cdarts;

import java.util.List;

/**
 * The settings of the {@code cdarts} strategy; defaults, with comments, are in the plugin's
 * {@code reference.conf} at {@code creamery.strategy.cdarts}.
 *
 * @param warmupEpochs epochs that train the search network's weights alone before the first cycle
 * @param cycles cycles of (a new evaluation network from the current genotype, its warm-up, joint search epochs)
 * @param cycleEpochs joint search epochs per cycle
 * @param batchSize images per step, from each half of the training split
 * @param maxStepsPerEpoch each epoch is cut after this many steps; 0 runs full epochs
 * @param weights the search network's weights
 * @param alpha the architecture parameters
 * @param evaluation the evaluation network's training inside the search
 * @param distillation the introspective distillation between the two networks
 * @param regularization the L1 penalty on parameter-free operations
 */
public record CdartsSearchSettings(int warmupEpochs, int cycles, int cycleEpochs, int batchSize, int maxStepsPerEpoch,
        SearchSettings.Weights weights, SearchSettings.Alpha alpha, Evaluation evaluation, Distillation distillation,
        Regularization regularization) {
    /** Checks the domains. */
    public CdartsSearchSettings {
        SearchSettings.atLeast("warmup-epochs", warmupEpochs, 0);
        SearchSettings.atLeast("cycles", cycles, 1);
        SearchSettings.atLeast("cycle-epochs", cycleEpochs, 1);
        SearchSettings.atLeast("batch-size", batchSize, 2);
        SearchSettings.atLeast("max-steps-per-epoch", maxStepsPerEpoch, 0);
    }

    /**
     * @param lr the evaluation network's SGD learning rate (momentum and weight decay as the weights')
     * @param warmupEpochs epochs a new evaluation network trains alone, on the second half, before the joint epochs
     */
    public record Evaluation(double lr, int warmupEpochs) {
        /** Checks the domains. */
        public Evaluation {
            SearchSettings.positive("lr", lr);
            SearchSettings.atLeast("warmup-epochs", warmupEpochs, 0);
        }
    }

    /**
     * @param loss how the search network's ensemble learns the evaluation network's: {@code kl},
     *     {@code cosine}, {@code mse} or {@code smooth-l1} (the official interactive types 0 to 3)
     * @param temperature the softening temperature (the loss is scaled by its square)
     * @param weight the distillation's weight; the two cross-entropies are divided by it
     */
    public record Distillation(String loss, double temperature, double weight) {
        /** The losses, in the official order. */
        static final List<String> LOSSES = List.of("kl", "cosine", "mse", "smooth-l1");

        /** Checks the domains. */
        public Distillation {
            if (!LOSSES.contains(loss)) {
                throw new IllegalArgumentException("loss must be one of " + String.join(", ", LOSSES) + ", got '" + loss + "'");
            }
            SearchSettings.positive("temperature", temperature);
            SearchSettings.positive("weight", weight);
        }
    }

    /**
     * @param coefficient the L1 weight on the architecture parameters of max pooling, average pooling
     *     and skip connections in both cells at the first joint epoch; 0 turns it off
     * @param ratio the share of the joint epochs over which the weight falls linearly to 0
     */
    public record Regularization(double coefficient, double ratio) {
        /** Checks the domains. */
        public Regularization {
            SearchSettings.nonNegative("coefficient", coefficient);
            SearchSettings.positive("ratio", ratio);
        }

        /** @return the weight at joint epoch {@code done} of {@code total} */
        double at(int done, int total) {
            return Math.max(coefficient * (1 - done / (total * ratio)), 0);
        }
    }
}
