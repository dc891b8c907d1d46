package dev.creamery.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The Java formula must give exactly the float32 values the fixtures' Python script gives. */
class ReferenceFixtureTest {
    @Test
    void formulaMatchesTheFixtureScript() {
        assertThat(ReferenceFixture.formula("blocks.0.attn.qkv.weight", new long[] {6, 4}))
                .startsWith(-0.838365375995636f, 0.7752997875213623f, 0.7776021957397461f, 0.0979168713092804f, -0.5131673216819763f);
        assertThat(ReferenceFixture.formula("norm.weight", new long[] {5}))
                .containsExactly(1.0218226909637451f, 0.9183542132377625f, 0.944250762462616f, 0.9141870737075806f, 1.0494911670684814f);
        assertThat(ReferenceFixture.formula("head.bias", new long[] {3}))
                .containsExactly(-0.010264023207128048f, -0.026999378576874733f, -0.020424334332346916f);
        assertThat(ReferenceFixture.formula("bn.running_var", new long[] {3}))
                .containsExactly(1.3531746864318848f, 1.2093034982681274f, 1.3660469055175781f);
        assertThat(ReferenceFixture.formula("bn.running_mean", new long[] {2}))
                .containsExactly(-0.06773105263710022f, -0.02982865273952484f);
        assertThat(ReferenceFixture.formula("cls_token", new long[] {1, 1, 4}))
                .containsExactly(-0.308620810508728f, -0.046545036137104034f, -0.8555982708930969f, 0.09544984251260757f);
        assertThat(ReferenceFixture.formula("scale", new long[] {3}))
                .containsExactly(-0.02061900496482849f, 0.04772649705410004f, -0.0868002250790596f);
    }

    @Test
    void inputMatchesTheFixtureScript() {
        float[] expected = {-1.3680500984191895f, -1.1811712980270386f, -1.288109302520752f, 0.5838661789894104f,
                -1.2843701839447021f, -1.3458874225616455f};
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update("input".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        double[] v = ReferenceFixture.uniform(crc.getValue(), 6);
        for (int i = 0; i < 6; i++) {
            assertThat((float) (1.5 * v[i])).isEqualTo(expected[i]);
        }
    }

    @Test
    void inputsAreTheFixturesOwnThenTheExtraOnesEachWithItsTolerance() {
        ReferenceFixture fixture = ReferenceFixture.load("/reference-toy/toy-a.json");
        assertThat(fixture.inputs()).extracting(ReferenceInput::seed).containsExactly("input", "input-1", "input-2");
        assertThat(fixture.inputs()).allSatisfy(input -> assertThat(input.shape()).isEqualTo(fixture.inputShape()));
        ReferenceInput own = fixture.inputs().get(0);
        assertThat(own.expectedLogits()).isEqualTo(fixture.expectedLogits());
        assertThat(own.tolerance()).isEqualTo(fixture.tolerance()).isEqualTo(1e-4);
        assertThat(fixture.inputs().get(1).expectedLogits()[1][0]).isEqualTo(-0.8803404569625854f);
        try (NDManager manager = NDManager.newBaseManager()) {
            // weights.py --input SPEC.json OUT.npy input-1 and input-2, first values
            assertThat(fixture.inputs().get(1).input(manager).toFloatArray()).startsWith(-1.454024314880371f, -1.028363585472107f,
                    -0.6546550989151001f, -0.2614308297634125f);
            assertThat(fixture.inputs().get(2).input(manager).toFloatArray()).startsWith(0.6835014820098877f, -0.4195457398891449f,
                    0.5418196320533752f, -0.659664511680603f);
            assertThat(fixture.input(manager).toFloatArray()).startsWith(-1.3680500984191895f, -1.1811712980270386f);
        }
    }

    /** numpy's float64 {@code x @ W.T + b}: every input has them, the fixture's own from its entry of seed "input". */
    @Test
    void everyInputHasTheOfficialFloat64LogitsExactly() {
        ReferenceFixture fixture = ReferenceFixture.load("/reference-toy/toy-a.json");
        assertThat(fixture.inputs()).allMatch(ReferenceInput::hasFloat64Logits);
        ReferenceInput own = fixture.inputs().get(0);
        ReferenceInput second = fixture.inputs().get(2);
        // Read back to the bit: the shortest decimal of each double.
        assertThat(own.expectedLogitsFloat64()[0][1]).isEqualTo(0.5947512694079222);
        assertThat(own.expectedLogitsFloat64()[1][0]).isEqualTo(-0.2637700603719466);
        assertThat(own.largestFloat64Logit()).isEqualTo(0.8380984871941584);
        assertThat(own.float64Tolerance(1e-9)).isEqualTo(1e-9 * 0.8380984871941584);
        // The official float32 error of each input is its float32 logits' distance from these.
        for (ReferenceInput input : fixture.inputs()) {
            double largest = 0;
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 3; c++) {
                    largest = Math.max(largest, Math.abs(input.expectedLogits()[r][c] - input.expectedLogitsFloat64()[r][c]));
                }
            }
            assertThat(largest).as(input.seed()).isEqualTo(input.officialFloat32Error());
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] exact = {second.expectedLogitsFloat64()[0][0], second.expectedLogitsFloat64()[0][1], second.expectedLogitsFloat64()[0][2],
                    second.expectedLogitsFloat64()[1][0], second.expectedLogitsFloat64()[1][1], second.expectedLogitsFloat64()[1][2]};
            assertThat(second.maxAbsDifferenceFloat64(manager.create(exact, new Shape(2, 3)))).isZero();
            exact[4] += 1e-12;
            assertThat(second.maxAbsDifferenceFloat64(manager.create(exact, new Shape(2, 3)))).isCloseTo(1e-12, within(1e-16));
            assertThatThrownBy(() -> second.maxAbsDifferenceFloat64(manager.create(new float[6], new Shape(2, 3))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float64 logits expected");
        }
    }

    @Test
    void aFixtureWithoutFloat64LogitsSaysSoWhenAskedForThem() {
        ReferenceInput own = ReferenceFixture.load("/reference-toy/other-a.json").inputs().get(0);
        assertThat(own.hasFloat64Logits()).isFalse();
        assertThatThrownBy(own::largestFloat64Logit).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("other-a input: the fixture holds no official float64 logits");
    }

    @Test
    void extraInputsOfAnotherFixtureAreRefused() {
        assertThatThrownBy(() -> ReferenceFixture.load("/reference-mismatch/toy-a.json"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("holds inputs of toy-b, not of toy-a");
    }

    @Test
    void aFixtureWithoutExtraInputsHasItsOwnInputOnly() {
        assertThat(ReferenceFixture.load("/reference-toy/other-a.json").inputs()).extracting(ReferenceInput::seed)
                .containsExactly("input");
    }
}
