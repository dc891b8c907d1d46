package dev.creamery.autoformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.InvalidArchitectureException;
import dev.creamery.api.StateDict;
import dev.creamery.api.Supernet;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.testkit.Blocks;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The S3 space: weight entanglement, extraction, parameter counts, presets, errors and memory discipline. */
class S3SpaceTest {
    private static final Task CIFAR = Task.square(3, 32, 10);
    private static final S3Space TINY_32 = new S3Space(S3Preset.TINY_32, 0.1);

    /** Stage 1 runs the smaller, shifted window (the table's centre), with fewer heads and a narrower width than the supernet. */
    private static final Architecture SMALL = Architecture.parse(
            "stage1.depth=2 stage1.embed_dim=48 stage1.window_size=4 stage1.mlp_ratio=[2,3] stage1.num_heads=[3,2]"
                    + " stage2.depth=1 stage2.embed_dim=64 stage2.window_size=8 stage2.mlp_ratio=[4] stage2.num_heads=[6]"
                    + " stage3.depth=2 stage3.embed_dim=160 stage3.window_size=4 stage3.mlp_ratio=[3,2] stage3.num_heads=[8,12]");

    @Test
    void theExtractedMemberComputesWhatTheSupernetComputesWithItActive() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Supernet supernet = TINY_32.supernet(CIFAR);
            Blocks.initialize(supernet.block(), manager, CIFAR);
            randomize(supernet.block(), manager);
            supernet.activate(SMALL);
            NDArray input = Blocks.randomInput(manager, CIFAR, 2, 11);
            NDArray shared = Blocks.forward(supernet.block(), input, false);
            NDArray alone = Blocks.forward(supernet.extract(SMALL, manager), input, false);
            assertThat(alone.sub(shared).abs().max().getFloat()).isLessThan(1e-5f);
            assertThat(shared.abs().max().getFloat()).isGreaterThan(0.1f);
        }
    }

    /** After a backward pass of a small member, every gradient outside the member's share of a tensor is exactly 0. */
    @Test
    void gradientsLandOnlyInTheActiveMembersShares() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Supernet supernet = TINY_32.supernet(CIFAR);
            Blocks.initialize(supernet.block(), manager, CIFAR);
            supernet.activate(SMALL);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = Blocks.forward(supernet.block(), Blocks.randomInput(manager, CIFAR, 2, 12), true);
                collector.backward(logits.mul(manager.randomUniform(-1f, 1f, logits.getShape())).sum());
            }
            Map<String, Parameter> member = StateDict.names(TINY_32.build(SMALL, CIFAR));
            Map<String, Parameter> wide = StateDict.names(supernet.block());
            for (Map.Entry<String, Parameter> entry : wide.entrySet()) {
                float[] gradient = entry.getValue().getArray().getGradient().toFloatArray();
                Parameter own = member.get(entry.getKey());
                boolean[] used = own == null ? new boolean[gradient.length] : used(supernet.block(), entry.getKey(), own.getShape(), manager);
                for (int i = 0; i < gradient.length; i++) {
                    if (!used[i]) {
                        assertThat(gradient[i]).as(entry.getKey() + " outside the member's share, element " + i).isEqualTo(0f);
                    }
                }
            }
            // The shares are what the layouts say: q, k and v rows per head, the four merged pixels, the table's centre.
            assertThat(rowsWithGradient(wide.get("layers.0.blocks.0.attn.qkv.weight"))).containsExactly(
                    range(0, 48, 64, 112, 128, 176));
            assertThat(columnsWithGradient(wide.get("layers.0.downsample.reduction.weight"))).containsExactly(
                    range(0, 48, 64, 112, 128, 176, 192, 240));
            // Window 8 spans offsets -7..7 (15 per axis); window 4 reads offsets -3..3, rows 4..10 of each axis.
            assertThat(rowsWithGradient(wide.get("layers.0.blocks.1.attn.relative_position_bias_table"))).containsExactly(
                    range(64, 71, 79, 86, 94, 101, 109, 116, 124, 131, 139, 146, 154, 161));
            assertThat(rowsWithGradient(wide.get("layers.0.blocks.0.mlp.fc1.weight"))).hasSize(96);
            assertThat(rowsWithGradient(wide.get("layers.2.blocks.2.mlp.fc1.weight"))).isEmpty();
        }
    }

    /** The network's own parameter count against the official modules' sizes, counted by hand. */
    @Test
    void countsParametersExactly() {
        long patchEmbed = 48L * 3 * 2 * 2 + 48 + 2 * 48;
        long stage1 = block(48, 2, 3, 7) + block(48, 3, 2, 7) + merging(48, 64);
        long stage2 = block(64, 4, 6, 15) + merging(64, 160);
        long stage3 = block(160, 3, 8, 7) + block(160, 2, 12, 7);
        long head = 2 * 160 + 160 * 10 + 10;
        long expected = patchEmbed + stage1 + stage2 + stage3 + head;
        assertThat(TINY_32.complexity(SMALL, CIFAR).params()).isEqualTo(expected);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThat(StateDict.countParameters(Blocks.initialize(TINY_32.build(SMALL, CIFAR), manager, CIFAR))).isEqualTo(expected);
        }
    }

    /** The figures of docs/s3.md: each preset's size, and its smallest and largest member's parameters and MACs. */
    @ParameterizedTest
    @CsvSource({
        "paper-224, 3, 224, 1000, 8308034173645861392854220371114534400, 8006110, 1304736768, 71135842, 13920543744",
        "tiny-28, 1, 28, 10, 11941020, 86628, 6473344, 939570, 71752960",
        "tiny-32, 3, 32, 10, 6448150800, 351808, 10061056, 2419602, 89196416"})
    void presetsHaveTheDocumentedSizes(String preset, int channels, int side, int classes, BigInteger size, long smallestParams,
            long smallestMacs, long largestParams, long largestMacs) {
        S3Space space = new S3Space(S3Preset.named(preset), 0.1);
        Task task = Task.square(channels, side, classes);
        assertThat(space.size()).isEqualTo(size);
        assertThat(space.complexity(space.smallest(), task)).isEqualTo(new Complexity(smallestParams, smallestMacs));
        assertThat(space.complexity(space.largest(), task)).isEqualTo(new Complexity(largestParams, largestMacs));
        assertThat(((S3Network) space.supernet(task).block()).params()).isEqualTo(largestParams);
    }

    /** The paper's space holds the released models: they are the family's variants, built by the same code. */
    @Test
    void thePaperSpaceHoldsTheReleasedModels() {
        S3Space space = new S3Space(S3Preset.PAPER_224, 0.1);
        S3Family family = new S3Family(new S3FamilySettings(0.1));
        for (Variant variant : family.variants()) {
            Architecture member = variant.architecture().toBuilder().remove(S3Family.PRESET).build();
            space.validate(member);
            assertThat(space.complexity(member, variant.task())).isEqualTo(family.complexity(variant.architecture(), variant.task()));
            assertThat(StateDict.names(space.build(member, variant.task())).keySet())
                    .containsExactlyElementsOf(StateDict.names(family.build(variant.architecture(), variant.task())).keySet());
        }
    }

    /** Forward and backward passes of a sliced member leave nothing in the model's manager. */
    @Test
    void passesCreateNothingInTheModelsManager() {
        try (NDManager model = NDManager.newBaseManager()) {
            Supernet supernet = TINY_32.supernet(CIFAR);
            Block block = Blocks.initialize(supernet.block(), model, CIFAR);
            supernet.activate(SMALL);
            int arrays = model.getManagedArrays().size();
            model.cap();
            for (boolean training : new boolean[] {true, false}) {
                try (NDManager step = NDManager.newBaseManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = block.forward(new ParameterStore(step, false), new NDList(Blocks.randomInput(step, CIFAR, 2, 13)), training)
                            .singletonOrThrow();
                    collector.backward(logits.sum());
                }
            }
            assertThat(model.getManagedArrays()).hasSize(arrays);
        }
    }

    @Test
    void aMemberOutsideTheSpaceIsNamedWithTheAllowedValues() {
        Architecture wrongWindow = SMALL.toBuilder().put("stage2.window_size", 6).build();
        assertThatThrownBy(() -> TINY_32.validate(wrongWindow)).isInstanceOf(InvalidArchitectureException.class)
                .hasMessage("dimension 'stage2.window_size' cannot be 6; allowed: [4, 8]");
        Architecture shortList = SMALL.toBuilder().put("stage3.num_heads", List.of(8)).build();
        assertThatThrownBy(() -> TINY_32.supernet(CIFAR).activate(shortList)).isInstanceOf(InvalidArchitectureException.class)
                .hasMessage("dimension 'stage3.num_heads' has 1 entries but stage3.depth = 2");
    }

    @Test
    void aWindowThatDoesNotFitTheImagesIsRefusedSayingWhy() {
        assertThatThrownBy(() -> TINY_32.build(SMALL, Task.square(3, 48, 10))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stage 2 of S3 for 48x48 images (patch 2): window 8 does not divide the stage's 12x12 tokens");
        assertThatThrownBy(() -> TINY_32.supernet(Task.square(3, 30, 10))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("S3 with patch 2 and 3 stages needs square images whose side is a multiple of 8; the task has 30x30");
    }

    private static void randomize(Block block, NDManager manager) {
        StateDict.tensors(block).values().forEach(t -> StateDict.copy(manager.randomUniform(-0.5f, 0.5f, t.getShape()), t));
    }

    /** Marks the elements a member of the given tensor shape reads, by taking its share of a tensor that numbers the elements. */
    private static boolean[] used(Block supernet, String name, Shape shape, NDManager manager) {
        Parameter parameter = StateDict.names(supernet).get(name);
        Entangled owner = owner(supernet, parameter);
        long size = parameter.getShape().size();
        NDArray numbers = manager.arange(0f, (float) size).reshape(parameter.getShape()).toType(DataType.FLOAT64, false);
        boolean[] used = new boolean[Math.toIntExact(size)];
        for (double n : owner.share(parameter, numbers, shape, manager).toDoubleArray()) {
            used[(int) n] = true;
        }
        return used;
    }

    private static Entangled owner(Block block, Parameter parameter) {
        if (block instanceof Entangled entangled && block.getDirectParameters().values().contains(parameter)) {
            return entangled;
        }
        for (Block child : block.getChildren().values()) {
            Entangled found = owner(child, parameter);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static int[] rowsWithGradient(Parameter parameter) {
        NDArray gradient = parameter.getArray().getGradient().abs().sum(new int[] {1});
        return nonZero(gradient.toFloatArray());
    }

    private static int[] columnsWithGradient(Parameter parameter) {
        return nonZero(parameter.getArray().getGradient().abs().sum(new int[] {0}).toFloatArray());
    }

    private static int[] nonZero(float[] values) {
        return IntStream.range(0, values.length).filter(i -> values[i] != 0).toArray();
    }

    /** @return the numbers of the half-open ranges given as start, end pairs */
    private static int[] range(int... bounds) {
        IntStream all = IntStream.empty();
        for (int i = 0; i < bounds.length; i += 2) {
            all = IntStream.concat(all, IntStream.range(bounds[i], bounds[i + 1]));
        }
        return all.toArray();
    }

    /** A block: two norms, the bias table, qkv, proj and the MLP (hidden int(embed·ratio)). */
    private static long block(int embed, double ratio, int heads, int tableSide) {
        long qk = heads * 16L;
        long hidden = (long) (embed * ratio);
        return 4L * embed + (long) tableSide * tableSide * heads + embed * 3 * qk + 3 * qk + qk * embed + embed + embed * hidden + hidden
                + hidden * embed + embed;
    }

    /** A patch merging: the norm over four parts and the bias-free reduction. */
    private static long merging(int in, int out) {
        return 2L * 4 * in + 4L * in * out;
    }
}
