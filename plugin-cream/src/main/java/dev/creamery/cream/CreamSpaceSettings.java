package dev.creamery.cream;

import java.util.List;
import java.util.Map;

/**
 * The settings of the {@code cream} space; defaults, with comments, are in the plugin's
 * {@code reference.conf} at {@code creamery.space.cream}.
 *
 * @param preset {@code supernet-224}, {@code tiny-28} or {@code tiny-32}
 * @param depths layers of each searchable stage, or null for the preset's
 * @param dropRate dropout before the classifier of a member trained on its own
 */
public record CreamSpaceSettings(String preset, List<Integer> depths, double dropRate) {
    /** Layers per searchable stage of each preset. */
    static final Map<String, List<Integer>> PRESETS = Map.of(
            // The official supernet for the official FLOPs window [0, 600]M, as search_for_layer sizes it.
            "supernet-224", List.of(4, 4, 4, 4, 4),
            "tiny-28", List.of(2, 2, 2, 2, 2),
            "tiny-32", List.of(2, 2, 3, 3, 2));

    /** Checks the preset, the depths and the rate. */
    public CreamSpaceSettings {
        if (!PRESETS.containsKey(preset)) {
            throw new IllegalArgumentException("unknown preset '" + preset + "'; the presets are " + PRESETS.keySet().stream().sorted().toList());
        }
        if (depths != null && (depths.size() != Layout.STAGES || depths.stream().anyMatch(d -> d < 1))) {
            throw new IllegalArgumentException("depths needs " + Layout.STAGES + " numbers of layers, each at least 1, got " + depths);
        }
        if (!(dropRate >= 0 && dropRate < 1)) {
            throw new IllegalArgumentException("drop-rate must be in [0, 1), got " + dropRate);
        }
        depths = depths == null ? null : List.copyOf(depths);
    }

    /** @return the layers of each searchable stage */
    List<Integer> resolvedDepths() {
        return depths == null ? PRESETS.get(preset) : depths;
    }
}
