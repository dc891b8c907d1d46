package dev.creamery.autoformer;

import dev.creamery.api.nn.RpeSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of the {@code s3} space; defaults, with comments, are in the plugin's {@code reference.conf}
 * at {@code creamery.space.s3}. A candidate list left null is the preset's; one given has one list per
 * stage of the preset.
 *
 * @param preset the named space: {@code paper-224}, {@code tiny-28}, {@code tiny-32}
 * @param depths candidate block counts of each stage
 * @param embedDims candidate embedding widths of each stage
 * @param windowSizes candidate window sides of each stage
 * @param mlpRatios candidate MLP ratios of each stage's blocks
 * @param numHeads candidate head counts of each stage's blocks
 * @param rpe iRPE in every window attention, or null for none
 * @param dropPathRate stochastic depth of the supernet's last block, linear from 0 at the first
 */
public record S3SpaceSettings(String preset, List<List<Long>> depths, List<List<Long>> embedDims, List<List<Long>> windowSizes,
        List<List<Double>> mlpRatios, List<List<Long>> numHeads, RpeSettings rpe, double dropPathRate) {
    /** Checks the preset exists, the overrides fit it and the rate is a probability below 1. */
    public S3SpaceSettings {
        if (preset == null) {
            throw new IllegalArgumentException("preset is required; known: " + String.join(", ", S3Preset.ALL.keySet()));
        }
        if (!(dropPathRate >= 0 && dropPathRate < 1)) {
            throw new IllegalArgumentException("drop-path-rate must be in [0, 1), got " + dropPathRate);
        }
        resolve(preset, depths, embedDims, windowSizes, mlpRatios, numHeads, rpe);
    }

    /** @return the preset with the overrides applied */
    S3Preset resolved() {
        return resolve(preset, depths, embedDims, windowSizes, mlpRatios, numHeads, rpe);
    }

    private static S3Preset resolve(String name, List<List<Long>> depths, List<List<Long>> embedDims, List<List<Long>> windowSizes,
            List<List<Double>> mlpRatios, List<List<Long>> numHeads, RpeSettings rpe) {
        S3Preset base = S3Preset.named(name);
        int count = base.stages().size();
        List<S3Preset.Stage> stages = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            S3Preset.Stage stage = base.stages().get(s);
            stages.add(new S3Preset.Stage(
                    pick("depths", depths, s, count, stage.depths()),
                    pick("embed-dims", embedDims, s, count, stage.embedDims()),
                    pick("window-sizes", windowSizes, s, count, stage.windowSizes()),
                    pick("mlp-ratios", mlpRatios, s, count, stage.mlpRatios()),
                    pick("num-heads", numHeads, s, count, stage.numHeads())));
        }
        // Windows have no class token: every token is on the grid.
        return new S3Preset(base.name(), base.patchSize(), base.headDim(), stages, base.task(), base.description(),
                rpe == null ? base.rpe() : rpe.config(0));
    }

    private static <T> List<T> pick(String key, List<List<T>> override, int stage, int count, List<T> fallback) {
        if (override == null) {
            return fallback;
        }
        if (override.size() != count) {
            throw new IllegalArgumentException(key + " needs one candidate list per stage (" + count + "), got " + override.size());
        }
        return override.get(stage);
    }
}
