package dev.creamery.runtime.distill;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code distillation} block of a training job: whether and how the student learns from a
 * teacher's soft labels, and from its intermediates (MiniViT's weight distillation).
 *
 * @param mode none, stored (soft labels saved by {@code creamery save-logits}) or online (the
 *     teacher runs every step)
 * @param teacher the teacher
 * @param store the folder of stored soft labels
 * @param topK classes kept per example; the others share the probability the k leave over
 * @param labelWeight the labels' share of the prediction loss (MiniViT's {@code alpha}); the soft
 *     labels have the rest
 * @param temperature the teacher's and the student's logits are divided by it before their softmax
 * @param relations the intermediates the student learns from (online only)
 */
public record DistillationSettings(Mode mode, Teacher teacher, Path store, int topK, double labelWeight, double temperature,
        Relations relations) {
    /** Where the soft labels come from. */
    public enum Mode {
        /** No distillation: the labels. */
        NONE,
        /** A logit store; the teacher does not run. */
        STORED,
        /** The teacher, run on every batch. */
        ONLINE
    }

    /**
     * @param model a variant, family:architecture, or a run's model.json
     * @param weights its safetensors weights
     */
    public record Teacher(String model, Path weights) {}

    /**
     * MiniViT's self-attention and hidden-state relation distillation: the student's layers learn the
     * relations of the teacher's, the i-th shallowest student layer from the i-th shallowest teacher
     * layer, as the official code pairs them.
     *
     * @param studentLayers the student's layers, counted from 0 in the order the forward pass runs
     *     them (a multiplexed block once per use); empty for none
     * @param teacherLayers as many layers of the teacher
     * @param attentionWeight the weight of the self-attention relation loss (the official {@code qkv_weight})
     * @param heads the relation heads the queries, keys and values are split into (the official {@code AR})
     * @param hiddenWeight the weight of the hidden-state relation loss (the official {@code hidden_weight})
     */
    public record Relations(List<Integer> studentLayers, List<Integer> teacherLayers, double attentionWeight, int heads,
            double hiddenWeight) {
        /** Checks the layers pair up and the weights can weigh. */
        public Relations {
            studentLayers = studentLayers == null ? List.of() : List.copyOf(studentLayers);
            teacherLayers = teacherLayers == null ? List.of() : List.copyOf(teacherLayers);
            if (studentLayers.size() != teacherLayers.size()) {
                throw new IllegalArgumentException("student-layers and teacher-layers pair up one to one, got " + studentLayers.size()
                        + " and " + teacherLayers.size() + " layers");
            }
            for (List<Integer> layers : List.of(studentLayers, teacherLayers)) {
                if (layers.stream().distinct().count() != layers.size() || layers.stream().anyMatch(l -> l < 0)) {
                    throw new IllegalArgumentException("layers are distinct numbers from 0 (the first block), got " + layers);
                }
            }
            if (!(attentionWeight >= 0 && hiddenWeight >= 0)) {
                throw new IllegalArgumentException("attention-weight and hidden-weight must be >= 0, got " + attentionWeight + " and "
                        + hiddenWeight);
            }
            if (heads < 1) {
                throw new IllegalArgumentException("heads must be >= 1, got " + heads);
            }
        }

        /** @return whether relations are asked for (they apply with {@code mode = online}; {@code none} ignores them) */
        public boolean isOn() {
            return !studentLayers.isEmpty() && (attentionWeight > 0 || hiddenWeight > 0);
        }
    }

    /** Checks what the mode needs is there; {@code teacher = null} means no teacher. */
    public DistillationSettings {
        if (teacher == null) {
            teacher = new Teacher(null, null);
        }
        if (relations == null) {
            relations = new Relations(List.of(), List.of(), 0, 1, 0);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("top-k must be >= 1, got " + topK);
        }
        if (!(labelWeight >= 0 && labelWeight < 1)) {
            throw new IllegalArgumentException("label-weight is the labels' share beside the soft labels, in [0, 1), got " + labelWeight
                    + " (mode = none learns from the labels alone)");
        }
        if (!(temperature > 0 && Double.isFinite(temperature))) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        if (mode == Mode.STORED && temperature != 1) {
            throw new IllegalArgumentException("a logit store holds probabilities at temperature 1; temperature = " + temperature
                    + " needs mode = online");
        }
        if (mode == Mode.STORED && relations.isOn()) {
            throw new IllegalArgumentException("relations learn from the teacher's intermediates, which only a running teacher has: "
                    + "they need mode = online");
        }
        if (mode != Mode.NONE && (teacher.model() == null || teacher.weights() == null)) {
            throw new IllegalArgumentException("mode = " + mode.name().toLowerCase(Locale.ROOT) + " needs the teacher: "
                    + "teacher { model = <variant, family:architecture or a run's model.json>, weights = <file.safetensors> }");
        }
        if (mode == Mode.STORED && store == null) {
            throw new IllegalArgumentException("mode = stored needs store = <folder> (filled by 'creamery save-logits JOB.conf')");
        }
    }

    /** @return whether the student learns the teacher's relations: relations asked for, and the teacher running */
    public boolean learnsRelations() {
        return mode == Mode.ONLINE && relations.isOn();
    }
}
