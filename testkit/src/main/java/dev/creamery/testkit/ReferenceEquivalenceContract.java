package dev.creamery.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.StateDict;
import dev.creamery.api.Variant;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.OfficialCheckpoint;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;

/**
 * A family's variants give the official models' logits, for every input their reference fixtures
 * hold. Which variants are checked follows from the fixtures on the test class path: every variant
 * of {@link #family()} with a fixture {@code <folder>/<variant>.json.gz} (and its extra inputs,
 * {@code <variant>.inputs.json.gz}); a variant without one is reported, not failed, but a fixture
 * that names no variant of the family fails, so that a renamed variant cannot silently drop its
 * check.
 *
 * <p>Weights load the way a user's official checkpoint loads ({@link ModelFamily#fromOfficial}, then
 * {@link StateDict#load}; see {@link ReferenceFixture#loadInto}). For every input: in float32 within
 * the agreed tolerance of that input; in float64 (tagged {@code slow}) within
 * {@link #float64RelativeTolerance} (1e-9 by default) of the largest official float64 logit, against
 * the official float64 model's logits. The block's names must be the official {@code state_dict}'s.
 * Given a {@link #commandLine()}, the same inputs also go through {@code creamery predict} (tagged
 * {@code slow}; see {@link CommandLineReference}).
 *
 * <p>The float64 check is the sharp one. The float32 tolerance has to absorb two float32 errors, ours
 * and the official model's, and where a network amplifies rounding that is wide: with the formula
 * weights EfficientViT amplifies it about 1e5 times, and the official float32 logits of
 * EfficientViT-M4 on {@code input-1} are 4.6 away from its own float64 ones. In float64 a
 * re-implementation computes the official float64 network and only float64 rounding (about 1e-16,
 * amplified alike) separates them, so 1e-9 of the largest logit leaves room for rounding and none for
 * a different computation. It catches what no float32 check can, constants that are right in float32
 * only: a batch norm eps of {@code 1e-5f} (9.99999974737875e-6) instead of PyTorch's double
 * {@code 1e-5} moves each batch norm by 1.3e-13 relative in float64, which EfficientViT amplified to
 * 3.7e-8 of the largest logit on M4's {@code input-1}; an attention scale rounded to a float
 * ({@code (float) Math.pow(32, -0.5)} instead of Python's double {@code key_dim ** -0.5}) put
 * TinyViT's logits 5.6e-9 and As-ViT's 3.7e-9 off. Right, the families agree with the official
 * float64 models to about 1e-15 of the largest logit (EfficientViT, which amplifies rounding, to
 * 4e-11). A float layer norm eps (S3: 1.1e-13) is below the bound; {@code dev.creamery.api.nn.Norms}
 * has its own test.
 */
public abstract class ReferenceEquivalenceContract {
    /**
     * The default bound of the float64 check on max |ours - official float64| as a fraction of the
     * largest official float64 logit.
     */
    public static final double FLOAT64_RELATIVE_TOLERANCE = 1e-9;

    /** @return the family under test */
    protected abstract ModelFamily family();

    /**
     * @return the class-path folder of the fixtures, {@code /reference} by default; a fixture there
     *     belongs to this family when its key starts with the family's variant prefix
     *     ({@code efficientvit-} for {@code efficientvit-m0}, ...)
     */
    protected String fixtureFolder() {
        return "/reference";
    }

    /**
     * @return the fewest inputs a fixture must hold (its own and the extra ones): one batch alone
     *     cannot tell a re-implementation from one tuned on it
     */
    protected int minimumInputs() {
        return 3;
    }

    /**
     * Checks that the variant's block carries the official names. By default: the block's names
     * are the fixture's {@code state_dict} less the buffers its modules derive
     * ({@link dev.creamery.api.nn.Module#derivedBuffers()}: index tables, masks, batch norm's counter),
     * in order. Override where the checkpoint is not the block's own (a supernet's slices).
     *
     * @param variant the variant
     * @param fixture its fixture
     */
    protected void assertOfficialNames(Variant variant, ReferenceFixture fixture) {
        Block block = family().build(variant.architecture(), variant.task());
        Set<String> derived = OfficialCheckpoint.derivedBuffers(block).keySet();
        List<String> official = fixture.tensorNames().stream().filter(Predicate.not(derived::contains)).toList();
        assertThat(StateDict.names(block).keySet())
                .as(variant.name()).containsExactlyElementsOf(official);
    }

    /**
     * @param variant a variant with a fixture
     * @return whether its float32 check is too slow for the fast run: given a {@link #commandLine()},
     *     the {@code slow}-tagged {@link #predictGivesTheOfficialLogitsOfEveryInput()} is then its
     *     float32 check (the same inputs and tolerances, through {@code creamery predict}), so that it
     *     does not run twice
     */
    protected boolean isSlow(Variant variant) {
        return false;
    }

    /**
     * The multiple of the official model's float32-vs-float64 error that the float32 tolerance allows
     * ({@link ReferenceInput#tolerance(double)}), 3 as the fixtures' README agrees. Widen it only for a
     * model whose float32 result is chaotic (the official code's own float32 error moves by more than
     * 3x between machines), and say by how much the official code misses its own fixture on a machine
     * where 3 fails; the float64 check stays the sharp one.
     *
     * @param variant a variant with a fixture
     * @return the factor
     */
    protected double float32ErrorFactor(Variant variant) {
        return 3;
    }

    /**
     * Whether the family's networks have an inference form of their own ({@link Module#prepareInference()}
     * changes how they compute: folded norms, cached tables), so that the logits are checked in both
     * forms. Yes by default; a family whose modules only inherit the default (which changes nothing
     * without a convolution followed by a batch norm) may say no and save the second pass.
     *
     * @return whether to check the prepared form too
     */
    protected boolean hasInferenceForm() {
        return true;
    }

    /**
     * @param variant a variant with a fixture
     * @return whether the {@code slow} float64 check covers it (all by default)
     */
    protected boolean checksFloat64(Variant variant) {
        return true;
    }

    /**
     * The bound of the float64 check: max |ours - official| over the largest official float64 logit,
     * {@link #FLOAT64_RELATIVE_TOLERANCE} by default. Override only where the official float64 model
     * itself is not computed in float64 throughout (it rounds somewhere to float32), and say where.
     *
     * @param variant a variant with a fixture
     * @return the allowed difference as a fraction of the largest official float64 logit
     */
    protected double float64RelativeTolerance(Variant variant) {
        return FLOAT64_RELATIVE_TOLERANCE;
    }

    /**
     * @return how to run {@code creamery} in this JVM ({@code Creamery::execute} of the runtime, in
     *     test scope), or {@code null}, the default, to skip the command-line check
     */
    protected CommandLineReference.CommandLine commandLine() {
        return null;
    }

    /** @return the family's variants that have a fixture, in the family's order */
    protected final List<Variant> variantsWithFixture() {
        Set<String> keys = fixtureKeys();
        return family().variants().stream().filter(v -> keys.contains(v.name())).toList();
    }

    /**
     * @param variant a variant with a fixture
     * @return its fixture, with its extra inputs
     */
    protected final ReferenceFixture fixture(Variant variant) {
        String base = fixtureFolder() + "/" + variant.name();
        return ReferenceFixture.load(ReferenceFixture.class.getResource(base + ".json.gz") != null ? base + ".json.gz" : base + ".json");
    }

    @Test
    void everyFixtureNamesAVariantOfTheFamily(TestReporter reporter) {
        List<String> names = family().variants().stream().map(Variant::name).toList();
        Set<String> keys = fixtureKeys();
        assertThat(keys).as("fixtures in %s for %s", fixtureFolder(), prefixes()).isNotEmpty();
        assertThat(names).as("variants of the fixtures in %s", fixtureFolder()).containsAll(keys);
        List<String> without = names.stream().filter(n -> !keys.contains(n)).toList();
        if (!without.isEmpty()) {
            // Reported, not failed: the build's log and the IDE's report both show it.
            System.out.printf("variants without a reference fixture in %s: %s%n", fixtureFolder(), String.join(", ", without));
            reporter.publishEntry("variants without a reference fixture", String.join(", ", without));
        }
    }

    @TestFactory
    Stream<DynamicTest> float32LogitsMatchEveryInput() {
        return variantsWithFixture().stream().filter(v -> !isSlow(v) || commandLine() == null).map(v -> DynamicTest.dynamicTest(v.name(),
                () -> assertLogits(v, DataType.FLOAT32)));
    }

    /** Against the official float64 logits of every input, to {@link #float64RelativeTolerance} of the largest. */
    @Tag("slow")
    @TestFactory
    Stream<DynamicTest> float64LogitsAreTheOfficialFloat64Logits() {
        return variantsWithFixture().stream().filter(this::checksFloat64).map(v -> DynamicTest.dynamicTest(v.name(),
                () -> assertLogits(v, DataType.FLOAT64)));
    }

    /** The user's path end to end: an official checkpoint file and a {@code .npy} batch through {@code creamery predict}. */
    @Tag("slow")
    @TestFactory
    Stream<DynamicTest> predictGivesTheOfficialLogitsOfEveryInput() {
        CommandLineReference.CommandLine creamery = commandLine();
        Assumptions.assumeTrue(creamery != null, "no command line to run: commandLine() is not overridden");
        return variantsWithFixture().stream().map(v -> DynamicTest.dynamicTest(v.name(),
                () -> CommandLineReference.assertPredictGivesTheOfficialLogits(creamery, v.name(), v.task(), fixture(v),
                        float32ErrorFactor(v))));
    }

    @TestFactory
    Stream<DynamicTest> namesAreTheOfficialStateDict() {
        return variantsWithFixture().stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> assertOfficialNames(v, fixture(v))));
    }

    /**
     * Builds and loads the variant once, runs every input of its fixture and checks them all, so that a
     * failure lists each input that misses with its difference and tolerance. In float32 against the
     * official float32 logits within {@link ReferenceInput#tolerance(double)}; in float64 against the
     * official float64 logits within {@link #float64RelativeTolerance} of the largest.
     */
    private void assertLogits(Variant variant, DataType type) {
        ReferenceFixture fixture = fixture(variant);
        assertThat(fixture.inputs()).as("inputs of %s", variant.name()).hasSizeGreaterThanOrEqualTo(minimumInputs());
        boolean float64 = type == DataType.FLOAT64;
        if (float64) {
            assertThat(fixture.inputs()).as("inputs of %s with the official float64 logits (expected_logits_fp64 in %s.inputs.json.gz)",
                    variant.name(), variant.name()).allMatch(ReferenceInput::hasFloat64Logits);
        }
        double relative = float64 ? float64RelativeTolerance(variant) : Double.NaN;
        SoftAssertions softly = new SoftAssertions();
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = fixture.loadInto(family(), variant, manager, type);
            // As built, then in the inference form predict and profile run (Module#prepareInference).
            for (String form : hasInferenceForm() ? List.of("as built", "prepared") : List.of("as built")) {
                if (form.equals("prepared")) {
                    Module.prepareInference(block);
                }
                for (ReferenceInput input : fixture.inputs()) {
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray logits = Blocks.forward(block, input.input(scope).toType(type, false), false);
                        if (float64) {
                            double difference = input.maxAbsDifferenceFloat64(logits);
                            double largest = input.largestFloat64Logit();
                            System.out.printf(Locale.ROOT, "%s %s float64 %s: max |ours - official float64| %.3g = %.3g of max |logit| "
                                    + "%.4g (bound %.3g)%n", input.key(), input.seed(), form, difference, difference / largest, largest,
                                    relative);
                            softly.assertThat(difference).as("%s float64 %s, max |ours - official float64| (%.3g of the largest logit)",
                                    input, form, difference / largest).isLessThanOrEqualTo(input.float64Tolerance(relative));
                        } else {
                            double difference = input.maxAbsDifference(logits);
                            double tolerance = input.tolerance(float32ErrorFactor(variant));
                            System.out.printf(Locale.ROOT, "%s %s %s %s: max |ours - official| %.3g (tolerance %.3g)%n", input.key(),
                                    input.seed(), type, form, difference, tolerance);
                            softly.assertThat(difference).as("%s %s %s, max |ours - official|", input, type, form)
                                    .isLessThanOrEqualTo(tolerance);
                        }
                    }
                }
            }
            if (!hasInferenceForm()) {
                assertPreparingChangesNothing(block, fixture.inputs().get(0), type, softly);
            }
        }
        softly.assertAll();
    }

    /** A family without an inference form of its own: preparing must leave its logits bit for bit. */
    private static void assertPreparingChangesNothing(Block block, ReferenceInput input, DataType type, SoftAssertions softly) {
        try (NDManager scope = NDManager.newBaseManager()) {
            NDArray built = Blocks.forward(block, input.input(scope).toType(type, false), false);
            Module.prepareInference(block);
            NDArray prepared = Blocks.forward(block, input.input(scope).toType(type, false), false);
            softly.assertThat(prepared.contentEquals(built)).as("%s: the prepared form's logits are the built form's, bit for bit "
                    + "(hasInferenceForm() says it has none of its own)", input).isTrue();
        }
    }

    /** @return the name prefixes of the family's variants up to their first dash ({@code deit-} and {@code irpe-} for DeiT) */
    private Set<String> prefixes() {
        Set<String> prefixes = new TreeSet<>();
        for (Variant variant : family().variants()) {
            prefixes.add(variant.name().substring(0, variant.name().indexOf('-') + 1));
        }
        return prefixes;
    }

    /**
     * @return the keys of this family's fixtures in the folder: {@code <key>.json.gz} or
     *     {@code <key>.json}, and {@code <key>.inputs.json.gz}, so that extra inputs without their
     *     fixture count as a fixture of that key
     */
    private Set<String> fixtureKeys() {
        Set<String> keys = new TreeSet<>();
        for (String file : ReferenceFixture.resourcesIn(fixtureFolder())) {
            String key = file.endsWith(".inputs.json.gz") ? file.substring(0, file.length() - ".inputs.json.gz".length())
                    : file.endsWith(".json.gz") ? file.substring(0, file.length() - ".json.gz".length())
                    : file.endsWith(".json") ? file.substring(0, file.length() - ".json".length()) : null;
            if (key != null && prefixes().stream().anyMatch(key::startsWith)) {
                keys.add(key);
            }
        }
        return keys;
    }
}
