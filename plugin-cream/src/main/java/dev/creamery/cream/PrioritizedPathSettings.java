package dev.creamery.cream;

import dev.creamery.api.Bounds;
import dev.creamery.api.TrainingSettings;
import java.util.Objects;

/**
 * The settings of the {@code prioritized-path} evaluator; defaults, with comments, are in the
 * plugin's {@code reference.conf} at {@code creamery.evaluator.prioritized-path}.
 *
 * @param supernet the supernet's training schedule
 * @param boardSize paths the prioritized board keeps ({@code SUPERNET.POOL_SIZE})
 * @param warmupEpochs epochs of plain one-shot training before the board opens ({@code META_STA_EPOCH})
 * @param updateIter steps between two updates of the meta-matching network ({@code UPDATE_ITER})
 * @param slice images of a batch each board entry keeps, and of each slice of a meta update ({@code SLICE})
 * @param metaLr the meta-matching network's learning rate, also its virtual step's ({@code META_LR})
 * @param accuracyGap top-1 points by which a path beats the board's worst to enter a full board regardless of FLOPs
 * @param pick how a path's teacher is picked: {@code meta} (the meta-matching network) or {@code top1} (the best board path)
 * @param flops the FLOPs window of sampled paths
 * @param recalibrationImages training images a member's batch norms are recalibrated on before it is scored
 *     or extracted with inherited weights; 0: never
 */
public record PrioritizedPathSettings(TrainingSettings supernet, int boardSize, int warmupEpochs, int updateIter, int slice,
        double metaLr, double accuracyGap, String pick, Bounds flops, int recalibrationImages) {
    /** Checks every setting's domain. */
    public PrioritizedPathSettings {
        Objects.requireNonNull(supernet, "supernet");
        Objects.requireNonNull(flops, "flops");
        if (boardSize < 1) {
            throw new IllegalArgumentException("board-size must be at least 1, got " + boardSize);
        }
        if (warmupEpochs < 0) {
            throw new IllegalArgumentException("warmup-epochs must be at least 0, got " + warmupEpochs);
        }
        if (updateIter < 1) {
            throw new IllegalArgumentException("update-iter must be at least 1, got " + updateIter);
        }
        if (slice < 1) {
            throw new IllegalArgumentException("slice must be at least 1, got " + slice);
        }
        if (supernet.batchSize() < 2 * slice) {
            throw new IllegalArgumentException("supernet.batch-size must be at least 2 x slice (" + 2 * slice
                    + ": a meta update learns on one slice of a batch and checks on the next), got " + supernet.batchSize());
        }
        if (!(metaLr > 0)) {
            throw new IllegalArgumentException("meta-lr must be positive, got " + metaLr);
        }
        if (!(accuracyGap >= 0)) {
            throw new IllegalArgumentException("accuracy-gap must be at least 0, got " + accuracyGap);
        }
        if (recalibrationImages < 0 || recalibrationImages == 1) {
            throw new IllegalArgumentException("recalibration-images must be 0 (off) or at least 2, got " + recalibrationImages);
        }
        if (!pick.equals("meta") && !pick.equals("top1")) {
            throw new IllegalArgumentException("pick must be meta or top1, got '" + pick + "'");
        }
    }
}
