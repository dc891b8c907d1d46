package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * iRPE's terms, against sums written out by hand over a 3x3 grid with a class token: on k, on q (the
 * keys scaled, the pair's offset reversed), on v, in bias mode, per head and shared; the gather's
 * gradient reaches the table; a token count that is not the configured grid is refused.
 */
class IrpeTest {
    private static final int B = 2;
    private static final int H = 2;
    private static final int D = 3;
    private static final int SIDE = 3;
    private static final int L = SIDE * SIDE + 1;
    private static final double SCALE = 0.5;

    @Test
    void contextualOnTheKeysAddsEachQueryDottedWithItsPairsVector() {
        check(RpeConfig.of(1.9, "product", "ctx", false, 1, "k"), Irpe.Target.K);
    }

    @Test
    void contextualOnTheQueriesUsesTheScaledKeysAndTheReversedOffset() {
        check(RpeConfig.of(1.9, "product", "ctx", true, 1, "q"), Irpe.Target.Q);
    }

    @Test
    void contextualOnTheValuesAddsTheAttentionWeightedVectors() {
        check(RpeConfig.of(1.9, "euc", "ctx", false, 1, "v"), Irpe.Target.V);
    }

    @Test
    void biasModeAddsTheHeadsBiasOfEachPair() {
        check(RpeConfig.of(1.9, "quant", "bias", false, 1, "k"), Irpe.Target.K);
    }

    @Test
    void crossSumsTheRowAndColumnTables() {
        RpeConfig config = RpeConfig.of(1.9, "cross", "ctx", true, 1, "k");
        try (NDManager manager = NDManager.newBaseManager()) {
            Irpe irpe = initialised(config, Irpe.Target.K, manager);
            NDArray q = manager.randomNormal(new Shape(B, H, L, D));
            Map<String, Parameter> tables = dev.creamery.api.StateDict.names(irpe);
            assertThat(tables).containsOnlyKeys("rp_rows.lookup_table_weight", "rp_cols.lookup_table_weight");
            float[] rows = fill(tables.get("rp_rows.lookup_table_weight"), 1);
            float[] cols = fill(tables.get("rp_cols.lookup_table_weight"), 2);
            long[] rowIds = RpeBuckets.ids(RpeBuckets.Function.ROWS, config, SIDE, SIDE, 1);
            long[] colIds = RpeBuckets.ids(RpeBuckets.Function.COLUMNS, config, SIDE, SIDE, 1);
            float[] out = irpe.apply(new ParameterStore(manager, false), q, false).toFloatArray();
            float[] x = q.toFloatArray();
            int nb = config.buckets();
            for (int b = 0; b < B; b++) {
                for (int h = 0; h < H; h++) {
                    for (int i = 0; i < L; i++) {
                        for (int j = 0; j < L; j++) {
                            double expected = 0;
                            for (int d = 0; d < D; d++) {
                                double xi = x[((b * H + h) * L + i) * D + d];
                                expected += xi * (rows[d * nb + (int) rowIds[i * L + j]] + cols[d * nb + (int) colIds[i * L + j]]);
                            }
                            assertThat((double) out[((b * H + h) * L + i) * L + j]).isCloseTo(expected, within(1e-4));
                        }
                    }
                }
            }
        }
    }

    @Test
    void theGatherCarriesTheGradientIntoTheTable() {
        RpeConfig config = RpeConfig.of(1.9, "product", "ctx", true, 1, "k");
        try (NDManager manager = NDManager.newBaseManager()) {
            Irpe irpe = initialised(config, Irpe.Target.K, manager);
            NDArray q = manager.ones(new Shape(1, 1, L, D));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(irpe.apply(new ParameterStore(manager, false), q, true).sum());
            }
            // With q all ones, each table entry's gradient counts the pairs in its bucket (once per dimension).
            float[] gradient = dev.creamery.api.StateDict.names(irpe).get("lookup_table_weight").getArray().getGradient().toFloatArray();
            long[] ids = RpeBuckets.ids(RpeBuckets.Function.PRODUCT, config, SIDE, SIDE, 1);
            int nb = config.buckets();
            for (int bucket = 0; bucket < nb; bucket++) {
                final int k = bucket;
                long pairs = java.util.Arrays.stream(ids).filter(id -> id == k).count();
                for (int d = 0; d < D; d++) {
                    assertThat(gradient[d * nb + bucket]).as("bucket %d", bucket).isEqualTo((float) pairs);
                }
            }
        }
    }

    @Test
    void tokensThatAreNotTheGridAndItsSkipTokensAreRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Irpe irpe = initialised(RpeConfig.of(1.9, "product", "ctx", true, 1, "k"), Irpe.Target.K, manager);
            NDArray q = manager.zeros(new Shape(1, 1, SIDE * SIDE, D));
            assertThatThrownBy(() -> irpe.apply(new ParameterStore(manager, false), q, false))
                    .hasMessageContaining("expects 1 token(s) before a square grid").hasMessageContaining("has 9 tokens");
        }
    }

    /** The term of one configuration against the same sum written out over every index. */
    private static void check(RpeConfig config, Irpe.Target target) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Irpe irpe = initialised(config, target, manager);
            Parameter table = dev.creamery.api.StateDict.names(irpe).values().iterator().next();
            float[] w = fill(table, 3);
            int heads = config.sharedHead() ? 1 : H;
            int nb = config.buckets();
            RpeBuckets.Function function = switch (config.method()) {
                case EUCLIDEAN -> RpeBuckets.Function.EUCLIDEAN;
                case QUANTIZATION -> RpeBuckets.Function.QUANTIZATION;
                default -> RpeBuckets.Function.PRODUCT;
            };
            long[] ids = RpeBuckets.ids(function, config, SIDE, SIDE, 1);
            NDArray q = manager.randomNormal(new Shape(B, H, L, D));
            NDArray k = manager.randomNormal(new Shape(B, H, L, D));
            NDArray attention = manager.randomUniform(0, 1, new Shape(B, H, L, L));
            ParameterStore store = new ParameterStore(manager, false);
            float[] logits = irpe.logits(store, manager.zeros(new Shape(B, H, L, L)), q, k, false).toFloatArray();
            float[] out = irpe.output(store, manager.zeros(new Shape(B, H, L, D)), attention, false).toFloatArray();
            float[] qs = q.toFloatArray();
            float[] ks = k.toFloatArray();
            float[] a = attention.toFloatArray();
            for (int b = 0; b < B; b++) {
                for (int h = 0; h < H; h++) {
                    int t = heads == 1 ? 0 : h;
                    for (int i = 0; i < L; i++) {
                        for (int j = 0; j < L; j++) {
                            double expected = 0;
                            if (config.mode() == RpeConfig.Mode.BIAS) {
                                expected = w[t * nb + (int) ids[i * L + j]];
                            } else if (target == Irpe.Target.K) {
                                for (int d = 0; d < D; d++) {
                                    expected += qs[((b * H + h) * L + i) * D + d] * w[(t * D + d) * nb + (int) ids[i * L + j]];
                                }
                            } else if (target == Irpe.Target.Q) {
                                for (int d = 0; d < D; d++) {
                                    expected += SCALE * ks[((b * H + h) * L + j) * D + d] * w[(t * D + d) * nb + (int) ids[j * L + i]];
                                }
                            }
                            double got = target == Irpe.Target.V ? 0 : logits[((b * H + h) * L + i) * L + j];
                            assertThat(got).as("logit (%d, %d, %d, %d)", b, h, i, j).isCloseTo(target == Irpe.Target.V ? 0 : expected, within(1e-4));
                        }
                        for (int d = 0; d < D && target == Irpe.Target.V; d++) {
                            double expected = 0;
                            for (int j = 0; j < L; j++) {
                                expected += a[((b * H + h) * L + i) * L + j] * w[(t * nb + (int) ids[i * L + j]) * D + d];
                            }
                            assertThat((double) out[((b * H + h) * L + i) * D + d]).as("output (%d, %d, %d, %d)", b, h, i, d)
                                    .isCloseTo(expected, within(1e-4));
                        }
                    }
                }
            }
        }
    }

    private static Irpe initialised(RpeConfig config, Irpe.Target target, NDManager manager) {
        Irpe irpe = Irpe.of(config, target, H, D, SCALE);
        irpe.initialize(manager, DataType.FLOAT32, new Shape(B, H, L, D));
        return irpe;
    }

    /** Sets a table to distinct values (zero, as it starts, would hide every index). */
    private static float[] fill(Parameter table, int seed) {
        NDArray array = table.getArray();
        float[] values = new float[(int) array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(seed * 7.1 + i * 0.37);
        }
        array.set(values);
        return values;
    }
}
