package dev.creamery.runtime.distill;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code distillation} block of a training job: whether and how the student learns from a
 * teacher's soft labels.
 *
 * @param mode none, stored (soft labels saved by {@code creamery save-logits}) or online (the
 *     teacher runs every step)
 * @param teacher the teacher
 * @param store the folder of stored soft labels
 * @param topK classes kept per example; the others share the probability the k leave over
 */
public record DistillationSettings(Mode mode, Teacher teacher, Path store, int topK) {
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

    /** Checks what the mode needs is there; {@code teacher = null} means no teacher. */
    public DistillationSettings {
        if (teacher == null) {
            teacher = new Teacher(null, null);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("top-k must be >= 1, got " + topK);
        }
        if (mode != Mode.NONE && (teacher.model() == null || teacher.weights() == null)) {
            throw new IllegalArgumentException("mode = " + mode.name().toLowerCase(Locale.ROOT) + " needs the teacher: "
                    + "teacher { model = <variant, family:architecture or a run's model.json>, weights = <file.safetensors> }");
        }
        if (mode == Mode.STORED && store == null) {
            throw new IllegalArgumentException("mode = stored needs store = <folder> (filled by 'creamery save-logits JOB.conf')");
        }
    }
}
