package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MiniViT's weight-distillation losses against the official formulas written out by hand, in float64
 * loops, on toy tensors whose student and teacher widths differ.
 */
class DistillationLossesTest {
    private static final int B = 2;
    private static final int N = 3;

    @Test
    void logitDistillationIsTheSoftCrossEntropyAtTheTemperature() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double[][] s = values(2, 4, 1);
            double[][] t = values(2, 4, 2);
            double temperature = 2.0;
            double expected = 0;
            for (int n = 0; n < 2; n++) {
                double[] p = softmax(scale(t[n], 1 / temperature));
                double[] logQ = logSoftmax(scale(s[n], 1 / temperature));
                for (int c = 0; c < 4; c++) {
                    expected -= p[c] * logQ[c];
                }
            }
            expected /= 2;
            NDArray loss = Losses.logitDistillation(array(manager, s), array(manager, t), temperature);
            assertThat(loss.getDouble()).isCloseTo(expected, within(1e-12));
        }
    }

    @Test
    void attentionRelationComparesTheNinePairsPerRelationHead() {
        int heads = 2;
        int cs = 4;
        int ct = 6;
        try (NDManager manager = NDManager.newBaseManager()) {
            double[][][][][] student = {{tokens(cs, 10), tokens(cs, 11), tokens(cs, 12)}, {tokens(cs, 13), tokens(cs, 14), tokens(cs, 15)}};
            double[][][][][] teacher = {{tokens(ct, 20), tokens(ct, 21), tokens(ct, 22)}, {tokens(ct, 23), tokens(ct, 24), tokens(ct, 25)}};
            double expected = 0;
            for (int layer = 0; layer < 2; layer++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        double sum = 0;
                        for (int b = 0; b < B; b++) {
                            for (int h = 0; h < heads; h++) {
                                for (int n = 0; n < N; n++) {
                                    double[] target = softmax(relationRow(teacher[layer][i][b], teacher[layer][j][b], heads, h, n));
                                    double[] logPredicted = logSoftmax(relationRow(student[layer][i][b], student[layer][j][b], heads, h, n));
                                    for (int m = 0; m < N; m++) {
                                        sum -= target[m] * logPredicted[m];
                                    }
                                }
                            }
                        }
                        expected += sum / (B * heads * N);
                    }
                }
            }
            expected /= 9 * 2;
            List<NDArray[]> s = List.of(layer(manager, student[0]), layer(manager, student[1]));
            List<NDArray[]> t = List.of(layer(manager, teacher[0]), layer(manager, teacher[1]));
            assertThat(Losses.attentionRelation(s, t, heads).getDouble()).isCloseTo(expected, within(1e-12));
            assertThatThrownBy(() -> Losses.attentionRelation(s, t, 4)).hasMessage("relation heads 4 do not divide the width 6");
            assertThatThrownBy(() -> Losses.attentionRelation(s, t.subList(0, 1), heads))
                    .hasMessage("distillation pairs layers one to one: the student gives 2, the teacher 1");
        }
    }

    @Test
    void hiddenRelationIsTheMeanSquaredCosineDifferenceTimesTheTokens() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double[][][] student = tokens(4, 30);
            double[][][] teacher = tokens(6, 31);
            double sum = 0;
            for (int b = 0; b < B; b++) {
                for (int n = 0; n < N; n++) {
                    for (int m = 0; m < N; m++) {
                        double d = cosine(student[b][n], student[b][m]) - cosine(teacher[b][n], teacher[b][m]);
                        sum += d * d;
                    }
                }
            }
            double expected = sum / (B * N * N) * N;
            NDArray loss = Losses.hiddenRelation(List.of(array(manager, student)), List.of(array(manager, teacher)));
            assertThat(loss.getDouble()).isCloseTo(expected, within(1e-12));
            assertThat(expected).isPositive();
        }
    }

    /** Row {@code n} of head {@code h} of {@code a · bᵀ / sqrt(C / heads)}. */
    private static double[] relationRow(double[][] a, double[][] b, int heads, int h, int n) {
        int width = a[0].length / heads;
        double[] row = new double[N];
        for (int m = 0; m < N; m++) {
            for (int c = 0; c < width; c++) {
                row[m] += a[n][h * width + c] * b[m][h * width + c];
            }
            row[m] /= Math.sqrt(width);
        }
        return row;
    }

    private static double cosine(double[] x, double[] y) {
        double dot = 0;
        double xx = 0;
        double yy = 0;
        for (int c = 0; c < x.length; c++) {
            dot += x[c] * y[c];
            xx += x[c] * x[c];
            yy += y[c] * y[c];
        }
        return dot / Math.sqrt(xx) / Math.sqrt(yy);
    }

    private static double[] softmax(double[] x) {
        double[] log = logSoftmax(x);
        for (int i = 0; i < x.length; i++) {
            log[i] = Math.exp(log[i]);
        }
        return log;
    }

    private static double[] logSoftmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : x) {
            sum += Math.exp(v - max);
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] - max - Math.log(sum);
        }
        return out;
    }

    private static double[] scale(double[] x, double factor) {
        double[] out = x.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
        }
        return out;
    }

    /** Distinct, signed toy values. */
    private static double[][] values(int rows, int columns, int seed) {
        double[][] v = new double[rows][columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                v[r][c] = Math.sin(seed * 3.7 + r * 1.3 + c * 0.7) * 2;
            }
        }
        return v;
    }

    private static double[][][] tokens(int width, int seed) {
        double[][][] v = new double[B][][];
        for (int b = 0; b < B; b++) {
            v[b] = values(N, width, seed * 10 + b);
        }
        return v;
    }

    private static NDArray[] layer(NDManager manager, double[][][][] qkv) {
        return new NDArray[] {array(manager, qkv[0]), array(manager, qkv[1]), array(manager, qkv[2])};
    }

    private static NDArray array(NDManager manager, double[][] v) {
        double[] flat = new double[v.length * v[0].length];
        for (int r = 0; r < v.length; r++) {
            System.arraycopy(v[r], 0, flat, r * v[0].length, v[0].length);
        }
        return manager.create(flat, new Shape(v.length, v[0].length));
    }

    private static NDArray array(NDManager manager, double[][][] v) {
        int rows = v[0].length;
        int columns = v[0][0].length;
        double[] flat = new double[v.length * rows * columns];
        for (int b = 0; b < v.length; b++) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(v[b][r], 0, flat, (b * rows + r) * columns, columns);
            }
        }
        return manager.create(flat, new Shape(v.length, rows, columns)).toType(DataType.FLOAT64, false);
    }
}
