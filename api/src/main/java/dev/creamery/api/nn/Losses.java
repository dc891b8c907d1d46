package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * The losses of the shared training loop, for evaluators that compute a loss of their own (Cream's
 * meta-matching update), and MiniViT's weight-distillation losses (the official
 * {@code Mini-Swin/main.py}: {@code soft_cross_entropy}, {@code cal_relation_loss},
 * {@code cal_hidden_relation_loss}).
 */
public final class Losses {
    private Losses() {}

    /**
     * Mean cross-entropy with label smoothing: the target puts {@code 1 - smoothing +
     * smoothing / C} on the label and {@code smoothing / C} on every other class (timm's
     * {@code LabelSmoothingCrossEntropy}).
     *
     * @param logits {@code (N, C)}
     * @param labels {@code (N)} int64
     * @param smoothing the smoothing in [0, 1)
     * @return the scalar loss, in the logits' manager
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels, double smoothing) {
        NDArray logProbabilities = logits.logSoftmax(1);
        NDArray picked = logProbabilities.gather(labels.toType(DataType.INT64, false).reshape(-1, 1), 1).reshape(-1);
        NDArray nll = picked.neg();
        if (smoothing == 0) {
            return nll.mean();
        }
        NDArray uniform = logProbabilities.mean(new int[] {1}).neg();
        return Scalars.times(nll, 1 - smoothing).add(Scalars.times(uniform, smoothing)).mean();
    }

    /**
     * Mean cross-entropy against soft targets, {@code -sum(targets * logSoftmax(logits))} per
     * example (timm's {@code SoftTargetCrossEntropy}).
     *
     * @param logits {@code (N, C)}
     * @param targets {@code (N, C)} probabilities, no gradient
     * @return the scalar loss, in the logits' manager
     */
    public static NDArray softTargetCrossEntropy(NDArray logits, NDArray targets) {
        return logits.logSoftmax(1).mul(targets).sum(new int[] {1}).neg().mean();
    }

    /**
     * Prediction-logit distillation: {@link #softTargetCrossEntropy} of the student's logits against
     * the teacher's probabilities, both at temperature {@code t} (the official {@code
     * soft_cross_entropy(outputs / T, outputs_teacher / T)}, without a {@code T²} factor).
     *
     * @param student {@code (N, C)}
     * @param teacher {@code (N, C)}, no gradient
     * @param temperature {@code T > 0}
     * @return the scalar loss, in the student's manager
     */
    public static NDArray logitDistillation(NDArray student, NDArray teacher, double temperature) {
        return softTargetCrossEntropy(Scalars.times(student, 1 / temperature), Scalars.times(teacher, 1 / temperature).softmax(1));
    }

    /**
     * Self-attention distillation: for each pair {@code (a, b)} of the queries, keys and values of a
     * layer, split into {@code heads} relation heads, the relation {@code a · bᵀ / sqrt(width / heads)}
     * of every token with every token; the student's relations learn the teacher's as a soft
     * cross-entropy over the second token ({@code softmax} of the teacher's, {@code log_softmax} of the
     * student's, summed over it and averaged over the rest). Averaged over the nine pairs and the
     * layers. Student and teacher may differ in width; the relations have the same shape.
     *
     * @param student per layer {@code [q, k, v]}, each {@code (B, N, Cs)}
     * @param teacher per layer {@code [q, k, v]}, each {@code (B, N, Ct)}, no gradient
     * @param heads the relation heads (the official {@code DISTILL.AR}); it divides both widths
     * @return the scalar loss, in the student's manager
     */
    public static NDArray attentionRelation(List<NDArray[]> student, List<NDArray[]> teacher, int heads) {
        checkLayers(student.size(), teacher.size());
        NDArray total = null;
        for (int layer = 0; layer < student.size(); layer++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    NDArray predicted = relation(student.get(layer)[i], student.get(layer)[j], heads);
                    NDArray target = relation(teacher.get(layer)[i], teacher.get(layer)[j], heads).softmax(-1);
                    NDArray term = predicted.logSoftmax(-1).mul(target).sum(new int[] {-1}).neg().mean();
                    total = total == null ? term : total.add(term);
                }
            }
        }
        return Scalars.times(total, 1.0 / (9 * student.size()));
    }

    /**
     * Hidden-state relation distillation: each token's hidden state normalised to length 1, the
     * relation of every token with every token ({@code h · hᵀ}, cosine similarities), and the mean
     * squared difference of the student's and the teacher's relations, times the tokens {@code N} (the
     * official code multiplies by 49, the tokens of its 7x7 windows), averaged over the layers.
     *
     * @param student per layer {@code (B, N, Cs)}
     * @param teacher per layer {@code (B, N, Ct)}, no gradient
     * @return the scalar loss, in the student's manager
     */
    public static NDArray hiddenRelation(List<NDArray> student, List<NDArray> teacher) {
        checkLayers(student.size(), teacher.size());
        NDArray total = null;
        for (int layer = 0; layer < student.size(); layer++) {
            NDArray s = cosines(student.get(layer));
            NDArray t = cosines(teacher.get(layer));
            long tokens = s.getShape().get(1);
            NDArray term = Scalars.times(s.sub(t).square().mean(), tokens);
            total = total == null ? term : total.add(term);
        }
        return Scalars.times(total, 1.0 / student.size());
    }

    /** {@code (B, N, C)} split into heads, {@code a_h · b_hᵀ / sqrt(C / heads)}: {@code (B, heads, N, N)}. */
    private static NDArray relation(NDArray a, NDArray b, int heads) {
        Shape shape = a.getShape();
        long width = shape.get(2);
        if (width % heads != 0 || b.getShape().get(2) != width) {
            throw new IllegalArgumentException("relation heads " + heads + " do not divide the width " + width);
        }
        NDArray left = a.reshape(shape.get(0), shape.get(1), heads, width / heads).transpose(0, 2, 1, 3);
        NDArray right = b.reshape(shape.get(0), shape.get(1), heads, width / heads).transpose(0, 2, 3, 1);
        return Scalars.times(left, 1 / Math.sqrt((double) width / heads)).matMul(right);
    }

    /** Every token's cosine with every token: PyTorch's {@code normalize} (norms below 1e-12 taken as 1e-12), then {@code h · hᵀ}. */
    private static NDArray cosines(NDArray hidden) {
        NDArray unit = hidden.div(hidden.norm(new int[] {-1}, true).maximum(1e-12));
        return unit.matMul(unit.transpose(0, 2, 1));
    }

    private static void checkLayers(int student, int teacher) {
        if (student == 0 || student != teacher) {
            throw new IllegalArgumentException("distillation pairs layers one to one: the student gives " + student + ", the teacher "
                    + teacher);
        }
    }
}
