package dev.creamery.autoformer;

import dev.creamery.api.Architecture;
import dev.creamery.api.InvalidArchitectureException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * One S3 network as the blocks read it: per stage the official config's {@code DEPTHS},
 * {@code EMBED_DIM}, {@code WINDOW_SIZE} (one per stage) and the per-block {@code MLP_RATIO} and
 * {@code NUM_HEADS}. In an {@link Architecture} stage {@code i} (from 1) holds
 * {@code stage<i>.depth}, {@code stage<i>.embed_dim}, {@code stage<i>.window_size},
 * {@code stage<i>.mlp_ratio} and {@code stage<i>.num_heads}.
 *
 * @param stages the stages, first first
 */
record S3Member(List<Stage> stages) {
    static final String DEPTH = "depth";
    static final String EMBED_DIM = "embed_dim";
    static final String WINDOW_SIZE = "window_size";
    static final String MLP_RATIO = "mlp_ratio";
    static final String NUM_HEADS = "num_heads";

    /** Copies the list. */
    S3Member {
        stages = List.copyOf(stages);
    }

    /**
     * One stage.
     *
     * @param depth the number of blocks
     * @param embedDim the embedding width
     * @param windowSize the window side
     * @param mlpRatios the MLP ratio of each block
     * @param numHeads the heads of each block
     */
    record Stage(int depth, int embedDim, int windowSize, double[] mlpRatios, int[] numHeads) {}

    /**
     * @param stage a stage, from 0
     * @param key one of the per-stage keys
     * @return the dimension name, e.g. {@code stage1.depth}
     */
    static String name(int stage, String key) {
        return "stage" + (stage + 1) + "." + key;
    }

    /**
     * @param architecture holds the five dimensions of each stage
     * @param stageCount the number of stages the network has
     * @return the member
     * @throws InvalidArchitectureException naming the dimension that is missing or malformed
     */
    static S3Member of(Architecture architecture, int stageCount) {
        List<Stage> stages = new ArrayList<>();
        for (int s = 0; s < stageCount; s++) {
            stages.add(stage(architecture, s, stageCount));
        }
        return new S3Member(stages);
    }

    private static Stage stage(Architecture architecture, int s, int stageCount) {
        int depth = read(architecture, name(s, DEPTH), stageCount, Architecture::getInt);
        int embed = read(architecture, name(s, EMBED_DIM), stageCount, Architecture::getInt);
        int window = read(architecture, name(s, WINDOW_SIZE), stageCount, Architecture::getInt);
        double[] ratios = read(architecture, name(s, MLP_RATIO), stageCount, Architecture::getDoubleList);
        int[] heads = read(architecture, name(s, NUM_HEADS), stageCount, Architecture::getIntList);
        require(depth > 0, name(s, DEPTH), "must be positive", architecture);
        require(embed > 0, name(s, EMBED_DIM), "must be positive", architecture);
        require(window > 0, name(s, WINDOW_SIZE), "must be positive", architecture);
        String perBlock = "needs one entry per block (" + name(s, DEPTH) + " = " + depth + ")";
        require(ratios.length == depth, name(s, MLP_RATIO), perBlock, architecture);
        require(heads.length == depth, name(s, NUM_HEADS), perBlock, architecture);
        require(Arrays.stream(ratios).allMatch(r -> r > 0), name(s, MLP_RATIO), "must be positive", architecture);
        require(Arrays.stream(heads).allMatch(h -> h > 0), name(s, NUM_HEADS), "must be positive", architecture);
        return new Stage(depth, embed, window, ratios, heads);
    }

    private static <T> T read(Architecture architecture, String dimension, int stageCount, BiFunction<Architecture, String, T> getter) {
        require(architecture.has(dimension), dimension, "is missing (an S3 architecture of " + stageCount + " stages needs it)",
                architecture);
        try {
            return getter.apply(architecture, dimension);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidArchitectureException(dimension, "'" + dimension + "' is malformed in " + architecture.canonical() + ": "
                    + e.getMessage());
        }
    }

    private static void require(boolean ok, String dimension, String problem, Architecture architecture) {
        if (!ok) {
            throw new InvalidArchitectureException(dimension, "'" + dimension + "' " + problem + " in " + architecture.canonical());
        }
    }

    /**
     * Writes the member's dimensions, stage by stage, in the space's order.
     *
     * @param builder receives them
     * @return the builder
     */
    Architecture.Builder putInto(Architecture.Builder builder) {
        for (int s = 0; s < stages.size(); s++) {
            Stage stage = stages.get(s);
            builder.put(name(s, DEPTH), stage.depth()).put(name(s, EMBED_DIM), stage.embedDim()).put(name(s, WINDOW_SIZE), stage.windowSize())
                    .put(name(s, MLP_RATIO), Arrays.stream(stage.mlpRatios()).boxed().toList())
                    .put(name(s, NUM_HEADS), Arrays.stream(stage.numHeads()).boxed().toList());
        }
        return builder;
    }
}
