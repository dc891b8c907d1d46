package dev.creamery.runtime.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.creamery.api.Batch;
import dev.creamery.api.SoftTargets;
import dev.creamery.api.nn.Losses;
import dev.creamery.api.nn.Scalars;
import dev.creamery.api.nn.Taps;
import java.util.List;

/**
 * Soft targets computed every step by running the teacher on the batch (online distillation),
 * built as from a store: top-k probabilities, the rest shared equally, kept at float32. With
 * relations on, the teacher's pass also records its chosen layers, and the student's step learns
 * their self-attention and hidden-state relations (MiniViT's weight distillation).
 */
public final class TeacherTargets implements SoftTargets {
    private final Teacher teacher;
    private final int k;
    private final double temperature;
    private final DistillationSettings.Relations relations;
    private List<NDArray[]> teacherAttention;
    private List<NDArray> teacherHidden;

    /**
     * @param teacher the teacher (closed with these targets)
     * @param k classes kept per example
     * @param temperature the teacher's and the student's logits are divided by it
     * @param relations the layers whose relations the student learns
     */
    public TeacherTargets(Teacher teacher, int k, double temperature, DistillationSettings.Relations relations) {
        this.teacher = teacher;
        this.k = k;
        this.temperature = temperature;
        this.relations = relations;
    }

    @Override
    public NDArray of(NDManager scope, int epoch, Batch batch, long[] augmentationSeeds) {
        NDArray probabilities;
        if (relations.isOn()) {
            try (Taps taps = Taps.record(relations.teacherLayers())) {
                probabilities = teacher.probabilities(batch.images(), temperature);
                teacherAttention = relations.attentionWeight() > 0 ? taps.attention() : null;
                teacherHidden = relations.hiddenWeight() > 0 ? taps.hidden() : null;
            }
        } else {
            probabilities = teacher.probabilities(batch.images(), temperature);
        }
        Teacher.TopK top = Teacher.topK(probabilities, k);
        return SoftLabels.dense(scope, top.values(), top.indices(), k, (int) probabilities.getShape().get(1));
    }

    @Override
    public double temperature() {
        return temperature;
    }

    @Override
    public List<Integer> studentLayers() {
        return relations.isOn() ? relations.studentLayers() : List.of();
    }

    @Override
    public NDArray relations(Taps student) {
        NDArray loss = null;
        if (teacherAttention != null) {
            loss = Scalars.times(Losses.attentionRelation(student.attention(), teacherAttention, relations.heads()),
                    relations.attentionWeight());
        }
        if (teacherHidden != null) {
            NDArray hidden = Scalars.times(Losses.hiddenRelation(student.hidden(), teacherHidden), relations.hiddenWeight());
            loss = loss == null ? hidden : loss.add(hidden);
        }
        // The teacher's arrays stay until the next batch replaces them: a step whose gradients come back NaN is
        // computed again and asks once more. They belong to the step's manager, which closes them.
        return loss;
    }

    @Override
    public void close() {
        teacher.close();
    }
}
