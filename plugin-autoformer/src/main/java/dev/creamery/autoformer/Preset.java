package dev.creamery.autoformer;

import dev.creamery.api.Task;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A named AutoFormer search space: the shared structure, the supernet's widths and the candidate
 * values of each dimension. The official ones are {@code experiments/supernet/supernet-{T,S,B}.yaml}
 * with the flags of the released supernets ({@code --relative_position --gp --change_qkv},
 * {@code max_relative_position 14}, patch 16, head width 64); the small ones fit 28×28 and 32×32
 * images so that a search runs on a CPU.
 *
 * @param name the preset's name
 * @param structure what every member shares
 * @param supernet the widths of the supernet (the official {@code SUPERNET} section)
 * @param candidates the values each dimension can take (the official {@code SEARCH_SPACE} section)
 * @param task the images and classes it is made for (what a member is built for when no task is given)
 * @param description one line for the documentation
 */
record Preset(String name, Structure structure, Widths supernet, Candidates candidates, Task task, String description) {
    /**
     * The largest widths of a supernet.
     *
     * @param embedDim embedding width
     * @param depth layers
     * @param numHeads heads per layer
     * @param mlpRatio MLP ratio per layer
     */
    record Widths(int embedDim, int depth, int numHeads, double mlpRatio) {}

    /**
     * Candidate values, smallest network first.
     *
     * @param embedDims embedding widths
     * @param depths layer counts
     * @param mlpRatios MLP ratios
     * @param numHeads head counts
     */
    record Candidates(List<Long> embedDims, List<Long> depths, List<Double> mlpRatios, List<Long> numHeads) {
        /** Checks every list is non-empty and positive. */
        Candidates {
            for (List<? extends Number> list : List.of(embedDims, depths, mlpRatios, numHeads)) {
                if (list.isEmpty() || list.stream().anyMatch(v -> !(v.doubleValue() > 0))) {
                    throw new IllegalArgumentException("candidate lists must be non-empty and positive");
                }
            }
            embedDims = List.copyOf(embedDims);
            depths = List.copyOf(depths);
            mlpRatios = List.copyOf(mlpRatios);
            numHeads = List.copyOf(numHeads);
        }

        /** @return the supernet that holds exactly these candidates */
        Widths widest() {
            return new Widths(Math.toIntExact(max(embedDims)), Math.toIntExact(max(depths)), Math.toIntExact(max(numHeads)),
                    mlpRatios.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        }

        private static long max(List<Long> values) {
            return values.stream().mapToLong(Long::longValue).max().orElseThrow();
        }
    }

    private static final Task IMAGENET = Task.square(3, 224, 1000);
    private static final Structure OFFICIAL = new Structure(16, 64, true, 14, true, null);

    static final Preset SUPERNET_T = new Preset("supernet-t", OFFICIAL, new Widths(256, 14, 4, 4.0),
            new Candidates(List.of(192L, 216L, 240L), List.of(12L, 13L, 14L), List.of(3.5, 4.0), List.of(3L, 4L)), IMAGENET,
            "the official AutoFormer-T search space, supernet-T.yaml (224x224)");
    static final Preset SUPERNET_S = new Preset("supernet-s", OFFICIAL, new Widths(448, 14, 7, 4.0),
            new Candidates(List.of(320L, 384L, 448L), List.of(12L, 13L, 14L), List.of(3.0, 3.5, 4.0), List.of(5L, 6L, 7L)), IMAGENET,
            "the official AutoFormer-S search space, supernet-S.yaml (224x224)");
    static final Preset SUPERNET_B = new Preset("supernet-b", OFFICIAL, new Widths(640, 16, 10, 4.0),
            new Candidates(List.of(528L, 576L, 624L), List.of(14L, 15L, 16L), List.of(3.0, 3.5, 4.0), List.of(9L, 10L)), IMAGENET,
            "the official AutoFormer-B search space, supernet-B.yaml (224x224)");
    static final Preset TINY_28 = small("tiny-28", 7, 4, Task.square(1, 28, 10),
            "a small space for 28x28 images (Fashion-MNIST): a 4x4 grid of 7-pixel patches");
    static final Preset TINY_32 = small("tiny-32", 4, 8, Task.square(3, 32, 10),
            "a small space for 32x32 images (CIFAR-10): an 8x8 grid of 4-pixel patches");

    static final Map<String, Preset> ALL = Stream.of(SUPERNET_T, SUPERNET_S, SUPERNET_B, TINY_28, TINY_32)
            .collect(Collectors.toMap(Preset::name, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));

    private static Preset small(String name, int patch, int grid, Task task, String description) {
        Candidates candidates = new Candidates(List.of(64L, 96L, 128L), List.of(3L, 4L, 5L), List.of(2.0, 3.0, 4.0), List.of(2L, 3L, 4L));
        return new Preset(name, new Structure(patch, 32, true, grid, true, null), candidates.widest(), candidates, task, description);
    }

    /**
     * @param name a preset name
     * @return the preset
     * @throws IllegalArgumentException listing the presets if there is none of that name
     */
    static Preset named(String name) {
        Preset preset = ALL.get(name.toLowerCase(Locale.ROOT));
        if (preset == null) {
            throw new IllegalArgumentException("unknown AutoFormer preset '" + name + "'; known: " + String.join(", ", ALL.keySet()));
        }
        return preset;
    }
}
