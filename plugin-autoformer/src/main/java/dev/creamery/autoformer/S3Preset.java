package dev.creamery.autoformer;

import dev.creamery.api.Task;
import dev.creamery.api.nn.RpeConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A named S3 search space: the hierarchical (Swin-like) network every member shares — the patch
 * size, the head width and the number of stages — and the candidate values of each stage's
 * dimensions. {@code paper-224} is the S3 space for 224×224 images (patch 4, four stages, the
 * official head width 32) spanning the three released models; {@code tiny-28} and {@code tiny-32}
 * are small spaces that train on a CPU.
 *
 * @param name the preset's name
 * @param patchSize the side of a patch
 * @param headDim the width of every head (the official code hard-codes 32)
 * @param stages the candidates of each stage, first stage first
 * @param task the images and classes it is made for (what a member is built for when no task is given)
 * @param description one line for the documentation
 * @param rpe iRPE in every window attention, or null for Swin's relative position bias alone
 */
record S3Preset(String name, int patchSize, int headDim, List<Stage> stages, Task task, String description, RpeConfig rpe) {
    /** Checks the sizes are positive and there is at least one stage. */
    S3Preset {
        if (patchSize < 1 || headDim < 1 || stages.isEmpty()) {
            throw new IllegalArgumentException("an S3 space needs a positive patch size and head width and at least one stage");
        }
        stages = List.copyOf(stages);
        if (rpe != null && !rpe.sharedHead()) {
            // A table per head would have to follow each member's head count; one table for all heads is every member's whole.
            throw new IllegalArgumentException("rpe.shared-head must be true in an S3 space: its members differ in heads");
        }
    }

    /** A preset without iRPE. */
    S3Preset(String name, int patchSize, int headDim, List<Stage> stages, Task task, String description) {
        this(name, patchSize, headDim, stages, task, description, null);
    }

    /**
     * Candidate values of one stage, each list smallest network first.
     *
     * @param depths numbers of blocks
     * @param embedDims embedding widths
     * @param windowSizes window sides (a window at least as large as the stage's token grid covers it whole)
     * @param mlpRatios MLP ratios of each block
     * @param numHeads heads of each block (the query, key and value width is heads × head width)
     */
    record Stage(List<Long> depths, List<Long> embedDims, List<Long> windowSizes, List<Double> mlpRatios, List<Long> numHeads) {
        /** Checks every list is non-empty, positive and without repeats, and sorts it. */
        Stage {
            depths = sorted("depths", depths);
            embedDims = sorted("embed-dims", embedDims);
            windowSizes = sorted("window-sizes", windowSizes);
            mlpRatios = sorted("mlp-ratios", mlpRatios);
            numHeads = sorted("num-heads", numHeads);
        }

        private static <T extends Number & Comparable<T>> List<T> sorted(String what, List<T> values) {
            if (values.isEmpty() || values.stream().anyMatch(v -> !(v.doubleValue() > 0))) {
                throw new IllegalArgumentException(what + " of a stage must be non-empty and positive, got " + values);
            }
            if (values.stream().distinct().count() != values.size()) {
                throw new IllegalArgumentException(what + " of a stage must not repeat a value, got " + values);
            }
            return values.stream().sorted().toList();
        }

        /** @return the widest block of the stage: every dimension at its largest candidate */
        S3Stage.Widths widest() {
            int depth = Math.toIntExact(last(depths));
            int embed = Math.toIntExact(last(embedDims));
            int[] hidden = new int[depth];
            int[] heads = new int[depth];
            Arrays.fill(hidden, S3Block.hidden(embed, last(mlpRatios)));
            Arrays.fill(heads, Math.toIntExact(last(numHeads)));
            return new S3Stage.Widths(depth, embed, hidden, heads, windowSizes.stream().map(Math::toIntExact).toList());
        }

        private static <T> T last(List<T> values) {
            return values.get(values.size() - 1);
        }
    }

    private static final List<Double> RATIOS = List.of(3.0, 3.5, 4.0);
    private static final List<Double> SMALL_RATIOS = List.of(2.0, 3.0, 4.0);

    static final S3Preset PAPER_224 = new S3Preset("paper-224", 4, 32, List.of(
            new Stage(List.of(1L, 2L), List.of(64L, 96L), List.of(7L, 14L), RATIOS, List.of(2L, 3L)),
            new Stage(List.of(1L, 2L), List.of(128L, 192L), List.of(7L, 14L), RATIOS, List.of(4L, 5L, 6L)),
            new Stage(List.of(6L, 10L, 14L, 18L, 22L, 26L, 30L), List.of(256L, 320L, 384L), List.of(7L, 14L), RATIOS,
                    List.of(8L, 10L, 12L)),
            new Stage(List.of(1L, 2L), List.of(512L, 640L, 768L), List.of(7L, 14L), RATIOS, List.of(16L, 20L, 24L))),
            Task.square(3, 224, 1000), "the S3 space for 224x224 images: four stages of windowed attention, patch 4, head width 32, "
                    + "holding S3-T, S3-S and S3-B");
    static final S3Preset TINY_28 = new S3Preset("tiny-28", 2, 16, List.of(
            new Stage(List.of(1L, 2L), List.of(32L, 48L, 64L), List.of(7L, 14L), SMALL_RATIOS, List.of(2L, 3L, 4L)),
            new Stage(List.of(2L, 3L, 4L), List.of(64L, 96L, 128L), List.of(7L), SMALL_RATIOS, List.of(4L, 6L, 8L))),
            Task.square(1, 28, 10), "a small space for 28x28 images (Fashion-MNIST): patch 2, stages of 14x14 and 7x7 tokens, head width 16");
    static final S3Preset TINY_32 = new S3Preset("tiny-32", 2, 16, List.of(
            new Stage(List.of(1L, 2L), List.of(32L, 48L, 64L), List.of(4L, 8L), SMALL_RATIOS, List.of(2L, 3L, 4L)),
            new Stage(List.of(1L, 2L), List.of(64L, 96L, 128L), List.of(4L, 8L), SMALL_RATIOS, List.of(4L, 6L, 8L)),
            new Stage(List.of(2L, 3L, 4L), List.of(128L, 160L, 192L), List.of(4L), SMALL_RATIOS, List.of(8L, 10L, 12L))),
            Task.square(3, 32, 10), "a small space for 32x32 images (CIFAR-10): patch 2, stages of 16x16, 8x8 and 4x4 tokens, head width 16");

    static final Map<String, S3Preset> ALL = Stream.of(PAPER_224, TINY_28, TINY_32)
            .collect(Collectors.toMap(S3Preset::name, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));

    /**
     * @param name a preset name
     * @return the preset
     * @throws IllegalArgumentException listing the presets if there is none of that name
     */
    static S3Preset named(String name) {
        S3Preset preset = ALL.get(name.toLowerCase(Locale.ROOT));
        if (preset == null) {
            throw new IllegalArgumentException("unknown S3 preset '" + name + "'; known: " + String.join(", ", ALL.keySet()));
        }
        return preset;
    }

    /** @return the supernet that holds every member: each stage at its widest */
    List<S3Stage.Widths> widest() {
        return stages.stream().map(Stage::widest).toList();
    }
}
