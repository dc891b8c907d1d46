package dev.creamery.runtime.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.creamery.api.Batch;
import dev.creamery.api.SoftTargets;

/**
 * Soft targets computed every step by running the teacher on the batch (online distillation),
 * built as from a store: top-k probabilities, the rest shared equally, kept at float32.
 */
public final class TeacherTargets implements SoftTargets {
    private final Teacher teacher;
    private final int k;

    /**
     * @param teacher the teacher (closed with these targets)
     * @param k classes kept per example
     */
    public TeacherTargets(Teacher teacher, int k) {
        this.teacher = teacher;
        this.k = k;
    }

    @Override
    public NDArray of(NDManager scope, int epoch, Batch batch, long[] augmentationSeeds) {
        NDArray probabilities = teacher.probabilities(batch.images());
        Teacher.TopK top = Teacher.topK(probabilities, k);
        return SoftLabels.dense(scope, top.values(), top.indices(), k, (int) probabilities.getShape().get(1));
    }

    @Override
    public void close() {
        teacher.close();
    }
}
