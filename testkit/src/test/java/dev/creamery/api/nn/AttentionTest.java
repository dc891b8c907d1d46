package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import dev.creamery.api.StateDict;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Multi-head attention against the formula written out per head, with a position encoding in each
 * of its two places (a bias on the logits, a contextual term on the output), as iRPE's modes plug in.
 */
class AttentionTest {
    private static final int DIM = 4;
    private static final int HEADS = 2;
    private static final int HEAD_DIM = 3;
    private static final int TOKENS = 5;

    /** Bias mode on the logits and a contextual term on the output: {@code out_i += Σ_j a_ij e_j}, one learned {@code e}. */
    private static final class Toy extends Module implements PositionEncoding {
        private final Parameter bias = parameter("bias", Parameter.Type.OTHER, new Shape(HEADS, TOKENS, TOKENS), Initializer.ZEROS, true);
        private final Parameter embedding = parameter("embedding", Parameter.Type.OTHER, new Shape(TOKENS, HEAD_DIM), Initializer.ZEROS,
                true);

        @Override
        public NDArray logits(ParameterStore store, NDArray logits, NDArray q, NDArray k, boolean training) {
            return logits.add(store.getValue(bias, q.getDevice(), training));
        }

        @Override
        public NDArray output(ParameterStore store, NDArray out, NDArray attention, boolean training) {
            return out.add(attention.matMul(store.getValue(embedding, attention.getDevice(), training)));
        }

        @Override
        public void trace(Shape queries, Shape keys, Shape values, Macs macs) {
            macs.add(queries.size() / queries.getLastDimension() * keys.get(2) * values.getLastDimension());
        }

        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return x;
        }

        @Override
        public Shape trace(Shape input, Macs macs) {
            return input;
        }
    }

    @Test
    void runsTheFormulaOfEveryHeadWithItsEncodingsInTheirPlaces() {
        MultiHeadAttention attention = new MultiHeadAttention(DIM, HEADS, HEAD_DIM);
        attention.encoding("rpe", new Toy());
        assertThat(StateDict.names(attention).keySet())
                .containsExactly("qkv.weight", "qkv.bias", "proj.weight", "proj.bias", "rpe.bias", "rpe.embedding");
        try (NDManager manager = NDManager.newBaseManager()) {
            attention.initialize(manager, DataType.FLOAT64, new Shape(2, TOKENS, DIM));
            Random random = new Random(3);
            Map<String, double[]> values = new java.util.LinkedHashMap<>();
            StateDict.names(attention).forEach((name, parameter) -> {
                double[] v = random.doubles(parameter.getShape().size(), -1, 1).toArray();
                values.put(name, v);
                parameter.getArray().set(v);
            });
            double[] x = random.doubles(2L * TOKENS * DIM, -1, 1).toArray();
            double[] ours = attention.apply(new ParameterStore(manager, false), manager.create(x, new Shape(2, TOKENS, DIM)), false)
                    .toDoubleArray();
            double[] expected = reference(x, values);
            for (int i = 0; i < expected.length; i++) {
                assertThat(ours[i]).isCloseTo(expected[i], within(1e-12));
            }
        }
    }

    @Test
    void tracesBothProductsTheProjectionsAndTheEncodings() {
        MultiHeadAttention attention = new MultiHeadAttention(DIM, HEADS, HEAD_DIM);
        Macs plain = new Macs();
        assertThat(attention.trace(new Shape(2, TOKENS, DIM), plain)).isEqualTo(new Shape(2, TOKENS, DIM));
        long pairs = 2L * HEADS * TOKENS * TOKENS;
        long projections = 2L * TOKENS * DIM * 3 * HEADS * HEAD_DIM + 2L * TOKENS * HEADS * HEAD_DIM * DIM;
        assertThat(plain.total()).isEqualTo(projections + 2 * pairs * HEAD_DIM);
        attention.encoding("rpe", new Toy());
        Macs encoded = new Macs();
        attention.trace(new Shape(2, TOKENS, DIM), encoded);
        assertThat(encoded.total()).isEqualTo(projections + 3 * pairs * HEAD_DIM);
        assertThat(attention.params()).isEqualTo(DIM * 18 + 18 + 6 * DIM + DIM + HEADS * TOKENS * TOKENS + TOKENS * HEAD_DIM);
    }

    /** The attention written out: per batch, head and query, softmax over the keys of the scaled products plus the bias. */
    private static double[] reference(double[] x, Map<String, double[]> p) {
        int inner = HEADS * HEAD_DIM;
        double[] out = new double[2 * TOKENS * DIM];
        for (int b = 0; b < 2; b++) {
            double[][] qkv = new double[TOKENS][3 * inner];
            for (int t = 0; t < TOKENS; t++) {
                for (int o = 0; o < 3 * inner; o++) {
                    double sum = p.get("qkv.bias")[o];
                    for (int i = 0; i < DIM; i++) {
                        sum += p.get("qkv.weight")[o * DIM + i] * x[(b * TOKENS + t) * DIM + i];
                    }
                    qkv[t][o] = sum;
                }
            }
            double[][] merged = new double[TOKENS][inner];
            for (int h = 0; h < HEADS; h++) {
                for (int i = 0; i < TOKENS; i++) {
                    double[] logits = new double[TOKENS];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < TOKENS; j++) {
                        double dot = 0;
                        for (int d = 0; d < HEAD_DIM; d++) {
                            dot += qkv[i][h * HEAD_DIM + d] * Math.pow(HEAD_DIM, -0.5) * qkv[j][inner + h * HEAD_DIM + d];
                        }
                        logits[j] = dot + p.get("rpe.bias")[(h * TOKENS + i) * TOKENS + j];
                        max = Math.max(max, logits[j]);
                    }
                    double total = 0;
                    for (int j = 0; j < TOKENS; j++) {
                        logits[j] = Math.exp(logits[j] - max);
                        total += logits[j];
                    }
                    for (int d = 0; d < HEAD_DIM; d++) {
                        double sum = 0;
                        for (int j = 0; j < TOKENS; j++) {
                            double a = logits[j] / total;
                            sum += a * (qkv[j][2 * inner + h * HEAD_DIM + d] + p.get("rpe.embedding")[j * HEAD_DIM + d]);
                        }
                        merged[i][h * HEAD_DIM + d] = sum;
                    }
                }
            }
            for (int t = 0; t < TOKENS; t++) {
                for (int o = 0; o < DIM; o++) {
                    double sum = p.get("proj.bias")[o];
                    for (int i = 0; i < inner; i++) {
                        sum += p.get("proj.weight")[o * inner + i] * merged[t][i];
                    }
                    out[(b * TOKENS + t) * DIM + o] = sum;
                }
            }
        }
        return out;
    }
}
