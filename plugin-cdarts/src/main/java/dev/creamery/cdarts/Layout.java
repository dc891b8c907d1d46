package dev.creamery.cdarts;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Where a CDARTS evaluation network's cells go, as the official {@code ModelTest} lays them out:
 * three layers of cells, the first two ending in a reduction cell.
 *
 * @param name {@code cifar} or {@code imagenet}
 * @param cells cells per layer
 * @param reduces whether a layer's last cell is a reduction cell
 * @param reducedStem whether the stem quarters the input and hands the first cell two inputs of
 *     different sides (ImageNet's two-part stem), or keeps it and hands the same output twice (CIFAR's)
 */
record Layout(String name, int[] cells, boolean[] reduces, boolean reducedStem) {
    /** The stem's width per first-layer node width ({@code stem_multiplier}). */
    static final int STEM_MULTIPLIER = 3;

    /** 20 cells (7, 7, 6) after a 3x3 stem at full resolution. */
    static final Layout CIFAR = new Layout("cifar", new int[] {7, 7, 6}, new boolean[] {true, true, false}, false);
    /** 14 cells (5, 5, 4) after a stem of three stride-2 convolutions. */
    static final Layout IMAGENET = new Layout("imagenet", new int[] {5, 5, 4}, new boolean[] {true, true, false}, true);

    /**
     * @param name a layout's name
     * @return the layout
     */
    static Layout of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cifar" -> CIFAR;
            case "imagenet" -> IMAGENET;
            default -> throw new IllegalArgumentException("unknown layout '" + name + "': use cifar (20 cells, the stem at full "
                    + "resolution) or imagenet (14 cells, a stride-8 stem)");
        };
    }

    /**
     * @param cells cells per layer, three layers
     * @return the CIFAR layout (a stem at full resolution, the first two layers ending in a reduction
     *     cell) with these cells, as the search's networks use it
     */
    static Layout cifar(List<Integer> cells) {
        if (cells.size() != 3 || cells.stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("three layers of at least one cell each, got " + cells);
        }
        return new Layout(CIFAR.name, cells.stream().mapToInt(Integer::intValue).toArray(), CIFAR.reduces, false);
    }

    /**
     * Where a cell sits and what it reads, as the official networks wire them.
     *
     * @param layer its layer
     * @param reduction whether it is a reduction cell (the last of a reducing layer, at twice the width)
     * @param previousReduction whether the cell before the previous one reduced (its first input is then twice as large)
     * @param channelsPrevPrev channels of its first input
     * @param channelsPrev channels of its second input
     * @param channels its node width
     */
    record Slot(int layer, boolean reduction, boolean previousReduction, int channelsPrevPrev, int channelsPrev, int channels) {}

    /**
     * @param channels the first layer's node width (the stem has {@link #STEM_MULTIPLIER} times as many)
     * @param outputs the states a normal ({@code false}) or a reduction ({@code true}) cell concatenates
     * @return every cell's slot, in order; the last cell's output has {@code channels * outputs} channels
     */
    List<Slot> slots(int channels, ToIntFunction<Boolean> outputs) {
        List<Slot> slots = new java.util.ArrayList<>();
        int previousPrevious = STEM_MULTIPLIER * channels;
        int previous = previousPrevious;
        int width = channels;
        boolean previousReduction = reducedStem;
        for (int layer = 0; layer < cells.length; layer++) {
            for (int i = 0; i < cells[layer]; i++) {
                boolean reduction = reduces[layer] && i == cells[layer] - 1;
                if (reduction) {
                    width *= 2;
                }
                slots.add(new Slot(layer, reduction, previousReduction, previousPrevious, previous, width));
                previousReduction = reduction;
                previousPrevious = previous;
                previous = width * outputs.applyAsInt(reduction);
            }
        }
        return slots;
    }

    /** One cell of a network, reading the outputs of the two cells before it. */
    @FunctionalInterface
    interface CellStep<T> {
        /**
         * @param cell the cell's index, over all layers
         * @return the cell's output
         */
        T apply(int cell, T previousPrevious, T previous);
    }

    /**
     * Runs the cells of this layout in order, each on the two outputs before it (the first on the
     * stem's two), as the official networks chain them.
     *
     * @param <T> arrays, or shapes when tracing
     * @return the output of every layer (of its last cell)
     */
    <T> List<T> chain(T stem0, T stem1, CellStep<T> step) {
        List<T> outputs = new java.util.ArrayList<>();
        T s0 = stem0;
        T s1 = stem1;
        int index = 0;
        for (int count : cells) {
            for (int i = 0; i < count; i++) {
                T next = step.apply(index++, s0, s1);
                s0 = s1;
                s1 = next;
            }
            outputs.add(s1);
        }
        return outputs;
    }

    /** @return the total number of cells */
    int total() {
        return Arrays.stream(cells).sum();
    }
}
