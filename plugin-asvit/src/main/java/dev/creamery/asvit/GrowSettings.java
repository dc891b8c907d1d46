package dev.creamery.asvit;

import dev.creamery.api.SearchStrategy;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the {@code grow} strategy; defaults in {@code reference.conf} at
 * {@code creamery.strategy.grow} are those of search/grow.py.
 *
 * @param seed the strategy that finds the seed topology (run on the same space and context)
 * @param topology a topology string to start from instead of running {@code seed}; empty to run it
 * @param widthScale a member's hidden size is this times the width its measures are taken at
 *     (official {@code SCALE_WIDTH}: 4, so the seed at hidden size 32 is measured at 8)
 * @param depthScale a member's layers are this times the layers its measures are taken at
 *     (official {@code SCALE_DEPTH}: 1)
 * @param depthGrowth layers a step may add, each to a different stage (official: [1])
 * @param widthGrowth ratios a step may grow the width by (official: 0.05, 0.1, 0.15, 0.2)
 * @param targetParams stop after the first member with at least this many parameters (0: no
 *     parameter target)
 * @param maxParams never emit a member with more parameters (0: no limit)
 * @param targetFlops stop after the first member with at least this many FLOPs (0: no FLOPs target)
 * @param maxFlops never emit a member with more FLOPs (0: no limit)
 * @param measures the metrics that rank a step's candidates, {@code metric:max} or
 *     {@code metric:min}; on a tie between the two best, the first listed wins the range comparison
 */
public record GrowSettings(SearchStrategy seed, String topology, int widthScale, int depthScale, List<Integer> depthGrowth,
        List<Double> widthGrowth, long targetParams, long maxParams, long targetFlops, long maxFlops, List<String> measures) {
    /** Checks every setting's domain. */
    public GrowSettings {
        Objects.requireNonNull(seed, "seed");
        topology = topology == null ? "" : topology.trim();
        if (!topology.isEmpty()) {
            Topology.parse(topology);
        }
        if (widthScale < 1 || depthScale < 1) {
            throw new IllegalArgumentException("width-scale and depth-scale must be >= 1, got " + widthScale + " and " + depthScale);
        }
        depthGrowth = List.copyOf(depthGrowth);
        widthGrowth = List.copyOf(widthGrowth);
        if (depthGrowth.stream().anyMatch(d -> d < 1 || d > Topology.STAGES)) {
            throw new IllegalArgumentException("depth-growth entries must be in [1, 4] (layers added to distinct stages), got "
                    + depthGrowth);
        }
        if (widthGrowth.stream().anyMatch(r -> !(r >= 0))) {
            throw new IllegalArgumentException("width-growth ratios must be >= 0, got " + widthGrowth);
        }
        if (depthGrowth.isEmpty() && widthGrowth.stream().allMatch(r -> r == 0)) {
            throw new IllegalArgumentException("grow needs depth-growth or a positive width-growth ratio, or it never grows");
        }
        if (targetParams < 0 || maxParams < 0 || targetFlops < 0 || maxFlops < 0) {
            throw new IllegalArgumentException("targets and limits must be >= 0 (0 means none)");
        }
        if (targetParams == 0 && targetFlops == 0) {
            throw new IllegalArgumentException("grow needs a target: set target-params or target-flops");
        }
        if (maxParams > 0 && targetParams > maxParams) {
            throw new IllegalArgumentException("target-params " + targetParams + " is above max-params " + maxParams);
        }
        if (maxFlops > 0 && targetFlops > maxFlops) {
            throw new IllegalArgumentException("target-flops " + targetFlops + " is above max-flops " + maxFlops);
        }
        measures = List.copyOf(measures);
        Goal.parseAll(measures, "measures");
    }

    /** @return the parsed measures */
    public List<Goal> goals() {
        return Goal.parseAll(measures, "measures");
    }
}
