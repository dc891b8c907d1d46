package dev.creamery.asvit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.testkit.Blocks;
import dev.creamery.testkit.ReferenceFixture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("slow")
class TrainingFreeMeasuresTest {
    private static final Task SMALL = Task.square(3, 32, 1000);
    private final AsVitFamily family = new AsVitFamily();

    /** The seed topology at 32x32 with the fixture's formula weights, as the official model loads them. */
    private AsVitNetwork seedWithFixtureWeights(NDManager manager) {
        ReferenceFixture fixture = ReferenceFixture.load("/reference/asvit-seed.json.gz");
        AsVitNetwork network = family.build(family.parse(AsVitFamily.SEED), SMALL);
        Blocks.initialize(network, manager, SMALL);
        StateDict.load(network, fixture.weights(manager), "asvit-seed");
        return network;
    }

    @Test
    void measuresEqualTheOfficialCodeOnTheSameWeights() {
        // Reference values from the official Transformer (img_size 32) with these weights, this batch and this
        // curve: the per-image gradients of lib/procedures/ntk.py get_ntk_n with the kernel summed in float64
        // (its float32 kernel gives 2.08307, off by its own rounding over ~2M terms), and the loop of teg.py
        // get_curve_complexity with the norms switched off.
        try (NDManager manager = NDManager.newBaseManager()) {
            AsVitNetwork network = seedWithFixtureWeights(manager);
            NDArray batch = manager.create(scaled(uniform("input", 4 * 3 * 32 * 32), 1.5), new Shape(4, 3, 32, 32));
            assertThat(NtkCondition.compute(network, batch)).isCloseTo(2.080196105262844, within(2e-4));
            network.normalization(false);
            Curve curve = Curve.through(new Shape(3, 32, 32), 10, uniform("curve-a", 3072), uniform("curve-b", 3072));
            assertThat(LengthDistortion.compute(network, curve, 6, manager)).isCloseTo(2.38121497631073, within(2e-4));
        }
    }

    @Test
    void measuresAreDeterministicUnderASeed() {
        TrainingFreeMeasures measures = new TrainingFreeMeasures(4, 2, 6, 4);
        try (NDManager manager = NDManager.newBaseManager()) {
            AsVitNetwork network = seedWithFixtureWeights(manager);
            NDArray batch = Blocks.randomInput(manager, SMALL, 4, 3);
            List<Curve> curves = measures.curves(SMALL.imageShape(), new Random(5));
            TrainingFreeMeasures.Result first = measures.measure(network, batch, curves, new Random(9));
            TrainingFreeMeasures.Result again = measures.measure(network, batch, curves, new Random(9));
            TrainingFreeMeasures.Result other = measures.measure(network, batch, curves, new Random(10));
            assertThat(again.ntk()).containsExactly(first.ntk());
            assertThat(again.lengthDistortion()).containsExactly(first.lengthDistortion());
            assertThat(other.ntk()).isNotEqualTo(first.ntk());
            assertThat(java.util.Arrays.stream(first.ntk()).boxed().toList()).allMatch(v -> v > 1 && Double.isFinite(v));
            assertThat(java.util.Arrays.stream(first.lengthDistortion()).boxed().toList()).allMatch(v -> v > 0 && Double.isFinite(v));
        }
    }

    @Test
    void aDegenerateNetworkRanksBelowAHealthyOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AsVitNetwork network = seedWithFixtureWeights(manager);
            NDArray batch = Blocks.randomInput(manager, SMALL, 4, 3);
            Curve curve = Curve.random(SMALL.imageShape(), 10, new Random(1));
            double healthyNtk = NtkCondition.compute(network, batch);
            network.normalization(false);
            double healthyLength = LengthDistortion.compute(network, curve, 6, manager);
            network.normalization(true);
            // Collapsed: every weight zero, so every image gives the same (zero) features and no gradient.
            network.getParameters().values().forEach(p -> p.getArray().set(new float[Math.toIntExact(p.getArray().size())]));
            double collapsedNtk = NtkCondition.compute(network, batch);
            network.normalization(false);
            double collapsedLength = LengthDistortion.compute(network, curve, 6, manager);
            assertThat(healthyNtk).isFinite().isGreaterThan(1);
            // NTK: lower is better; a kernel with no spectrum is not finite, which fails the trial.
            assertThat(Double.isFinite(collapsedNtk)).isFalse();
            // Length distortion: higher is better; a constant network does not stretch the curve at all.
            assertThat(collapsedLength).isZero();
            assertThat(healthyLength).isGreaterThan(collapsedLength);
        }
    }

    @Test
    void forwardModeDerivativeMatchesFiniteDifferencesWithNormsOn() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AsVitNetwork network = seedWithFixtureWeights(manager);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = Blocks.randomInput(manager, SMALL, 2, 11);
            NDArray v = Blocks.randomInput(manager, SMALL, 2, 12);
            NDArray jv = network.featuresWithTangent(store, x, v).tangent();
            float h = 1e-2f;
            NDArray numeric = network.features(store, x.add(v.mul(h))).sub(network.features(store, x.sub(v.mul(h)))).div(2 * h);
            float scale = jv.abs().max().getFloat();
            assertThat(jv.sub(numeric).abs().max().getFloat()).isLessThan(2e-2f * scale);
            assertThat(network.featuresWithTangent(store, x, v).value().sub(network.features(store, x)).abs().max().getFloat())
                    .isEqualTo(0f, Offset.offset(1e-6f));
        }
    }

    @Test
    void eigenvaluesOfAKnownMatrix() {
        double[] m = {4, 1, 2, 1, 3, 0, 2, 0, 5};
        double[] values = SymmetricEigen.eigenvalues(m, 3);
        // Characteristic polynomial -x^3 + 12x^2 - 42x + 43 (trace 12, det 43).
        assertThat(values[0] + values[1] + values[2]).isCloseTo(12, within(1e-12));
        assertThat(values[0] * values[1] * values[2]).isCloseTo(43, within(1e-9));
        for (double l : values) {
            assertThat(-l * l * l + 12 * l * l - 42 * l + 43).isCloseTo(0, within(1e-9));
        }
        assertThat(NtkCondition.conditionOf(new double[] {2, 0, 0, 1})).isEqualTo(2.0);
        assertThat(NtkCondition.conditionOf(new double[] {1, 1, 1, 1})).isInfinite();
    }

    static double[] uniform(String name, int n) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        long seed = crc.getValue();
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            long h = ((long) i * 0x9E3779B1L + seed) & 0xFFFFFFFFL;
            h ^= h >>> 16;
            h = (h * 0x85EBCA6BL) & 0xFFFFFFFFL;
            h ^= h >>> 13;
            h = (h * 0xC2B2AE35L) & 0xFFFFFFFFL;
            h ^= h >>> 16;
            u[i] = h / 2147483648.0 - 1.0;
        }
        return u;
    }

    private static float[] scaled(double[] u, double factor) {
        float[] x = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            x[i] = (float) (factor * u[i]);
        }
        return x;
    }
}
