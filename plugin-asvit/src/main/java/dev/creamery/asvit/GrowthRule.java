package dev.creamery.asvit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The scaling rule of search/grow.py ({@code grow_step}): which grown candidates a step considers
 * and which one it picks from their training-free measures.
 */
public final class GrowthRule {
    private GrowthRule() {}

    /**
     * A candidate of one growth step, at measurement scale.
     *
     * @param depth layers per stage
     * @param width the hidden size the candidate is measured at
     */
    public record Choice(int[] depth, int width) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Choice c && Arrays.equals(depth, c.depth) && width == c.width;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(depth) * 31 + width;
        }

        @Override
        public String toString() {
            return Arrays.toString(depth) + " x " + width;
        }
    }

    /**
     * Depths with {@code delta} more layers, each added to a different stage, in the order of the
     * official recursion ({@code grow_depth_choices}).
     *
     * @param depth current layers per stage
     * @param deltas layer counts to add (official: [1])
     * @return the grown depths
     */
    public static List<int[]> depthChoices(int[] depth, List<Integer> deltas) {
        List<int[]> choices = new ArrayList<>();
        for (int delta : deltas) {
            grow(depth.clone(), Arrays.stream(depth).sum() + delta, 0, choices);
        }
        return choices;
    }

    private static void grow(int[] current, int target, int start, List<int[]> out) {
        if (Arrays.stream(current).sum() == target) {
            out.add(current);
            return;
        }
        for (int i = start; i < current.length; i++) {
            int[] next = current.clone();
            next[i]++;
            grow(next, target, i + 1, out);
        }
    }

    /**
     * Widths grown by each ratio, {@code round(width * (1 + ratio))} with Python's rounding (half to
     * even), dropping a width equal to the one before it.
     *
     * @param width the current width
     * @param ratios growth ratios (official: 0.05, 0.1, 0.15, 0.2)
     * @return the grown widths
     */
    public static List<Integer> widthChoices(int width, List<Double> ratios) {
        List<Integer> widths = new ArrayList<>();
        for (double ratio : ratios) {
            int w = (int) Math.rint(width * (1 + ratio));
            if (!widths.isEmpty() && widths.get(widths.size() - 1) == w) {
                continue;
            }
            widths.add(w);
        }
        return widths;
    }

    /**
     * Every combination of a grown depth with a grown width, depth-major ({@code merge_choices}); if
     * one side does not grow, the other alone.
     *
     * @param depth current layers per stage
     * @param width current width
     * @param depths grown depths
     * @param widths grown widths
     * @return the candidates
     */
    public static List<Choice> candidates(int[] depth, int width, List<int[]> depths, List<Integer> widths) {
        List<Choice> choices = new ArrayList<>();
        if (depths.isEmpty()) {
            widths.forEach(w -> choices.add(new Choice(depth.clone(), w)));
        } else if (widths.isEmpty()) {
            depths.forEach(d -> choices.add(new Choice(d, width)));
        } else {
            for (int[] d : depths) {
                for (int w : widths) {
                    choices.add(new Choice(d, w));
                }
            }
        }
        return choices;
    }

    /**
     * Picks a candidate as {@code grow_step} does: rank the candidates by each measure (dense ranks,
     * equal values share a rank), pick the smallest sum of ranks (the earliest on ties); if the two
     * best sums tie, compare those two on the measure with the largest relative range
     * {@code (max - min) / max} and take the one with the smaller value. The official code takes
     * the smaller value whatever the measure's direction, and so does this.
     *
     * @param metrics the measures of each candidate, in candidate order
     * @param goals the measures and their directions, in order
     * @return the index of the chosen candidate
     */
    public static int choose(List<Map<String, Double>> metrics, List<Goal> goals) {
        int n = metrics.size();
        if (n == 0) {
            throw new IllegalArgumentException("no candidate to choose from");
        }
        int[] sums = new int[n];
        for (Goal goal : goals) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Comparator<Integer> byValue = Comparator.comparingDouble(i -> value(metrics, i, goal));
            Arrays.sort(order, goal.maximize() ? byValue.reversed() : byValue);
            int rank = 0;
            for (int j = 0; j < n; j++) {
                if (j > 0 && value(metrics, order[j], goal) != value(metrics, order[j - 1], goal)) {
                    rank++;
                }
                sums[order[j]] += rank;
            }
        }
        Integer[] bySum = new Integer[n];
        for (int i = 0; i < n; i++) {
            bySum[i] = i;
        }
        Arrays.sort(bySum, Comparator.comparingInt(i -> sums[i]));
        if (n < 2 || sums[bySum[0]] != sums[bySum[1]]) {
            return bySum[0];
        }
        Goal widest = goals.get(0);
        double widestRange = Double.NEGATIVE_INFINITY;
        for (Goal goal : goals) {
            double max = Double.NEGATIVE_INFINITY;
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, value(metrics, i, goal));
                min = Math.min(min, value(metrics, i, goal));
            }
            double range = (max - min) / max;
            if (range > widestRange) {
                widestRange = range;
                widest = goal;
            }
        }
        return value(metrics, bySum[1], widest) < value(metrics, bySum[0], widest) ? bySum[1] : bySum[0];
    }

    private static double value(List<Map<String, Double>> metrics, int i, Goal goal) {
        Double v = metrics.get(i).get(goal.metric());
        if (v == null) {
            throw new IllegalStateException("growth ranks by " + goal.metric() + " but the evaluator reported only "
                    + metrics.get(i).keySet() + "; choose an evaluator that reports it or change grow's measures");
        }
        return v;
    }
}
