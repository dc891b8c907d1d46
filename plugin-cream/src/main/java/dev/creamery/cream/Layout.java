package dev.creamery.cream;

import dev.creamery.api.Architecture;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed frame of every Cream network (the official {@code arch_def}): a 3x3 stride-2 stem of 16
 * channels, a depthwise-separable block of 16, five searchable stages of inverted-residual blocks, a
 * 1x1 convolution to 320 channels, global pooling and a 1x1 head of 1280 features. A network is the
 * list of blocks in each searchable stage, dimensions {@code stage1} ... {@code stage5}; only the
 * first block of a stage strides.
 */
final class Layout {
    static final int STEM = 16;
    static final int LAST = 320;
    static final int FEATURES = 1280;
    /** Output channels of the searchable stages. */
    static final int[] CHANNELS = {24, 40, 80, 96, 192};
    /** Stride of the first block of each searchable stage. */
    static final int[] STRIDES = {2, 2, 2, 1, 2};
    /** The template block of each stage in the official {@code choice_block_pool}. */
    static final Op[] TEMPLATE = {new Op(3, 4), new Op(5, 4), new Op(3, 6), new Op(3, 6), new Op(5, 6)};
    static final int STAGES = CHANNELS.length;

    private Layout() {}

    /** @return the dimension name of searchable stage {@code i} (0-based) */
    static String stage(int i) {
        return "stage" + (i + 1);
    }

    /**
     * @param architecture a Cream architecture
     * @return its blocks, per searchable stage
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    static List<List<Op>> blocks(Architecture architecture) {
        List<List<Op>> stages = new ArrayList<>();
        for (int i = 0; i < STAGES; i++) {
            if (!architecture.has(stage(i))) {
                throw new IllegalArgumentException("a Cream architecture lists the blocks of stage1 ... stage5; " + stage(i)
                        + " is missing from " + architecture.canonical());
            }
            List<Op> ops = architecture.getList(stage(i)).stream().map(value -> Op.parse(String.valueOf(value))).toList();
            if (ops.isEmpty()) {
                throw new IllegalArgumentException(stage(i) + " needs at least one block");
            }
            stages.add(ops);
        }
        if (architecture.names().size() != STAGES) {
            throw new IllegalArgumentException("a Cream architecture has the dimensions stage1 ... stage5, got "
                    + architecture.names());
        }
        return stages;
    }

    /**
     * @param stages blocks per searchable stage
     * @return the architecture
     */
    static Architecture architecture(List<List<Op>> stages) {
        Architecture.Builder builder = Architecture.builder();
        for (int i = 0; i < stages.size(); i++) {
            builder.put(stage(i), stages.get(i).stream().map(Op::toString).toList());
        }
        return builder.build();
    }

    /**
     * Resolves an official {@code arch_list} (choice indices per searchable stage) as the official
     * {@code gen_childnet} does: a stage of one block keeps its template block whatever its index
     * says (so Cream-14's second stage is {@code k3e4}, not the {@code k5e6} its index 3 names).
     *
     * @param archList choice indices per searchable stage
     * @return the architecture
     */
    static Architecture official(int[][] archList) {
        List<List<Op>> stages = new ArrayList<>();
        for (int i = 0; i < archList.length; i++) {
            List<Op> ops = new ArrayList<>();
            for (int index : archList[i]) {
                ops.add(archList[i].length == 1 ? TEMPLATE[i] : Op.choice(index));
            }
            stages.add(ops);
        }
        return architecture(stages);
    }
}
