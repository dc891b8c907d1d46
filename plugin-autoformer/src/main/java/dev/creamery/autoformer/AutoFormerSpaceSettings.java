package dev.creamery.autoformer;

import dev.creamery.api.nn.RpeSettings;
import java.util.List;

/**
 * The settings of the {@code autoformer} space; defaults, with comments, are in the plugin's
 * {@code reference.conf} at {@code creamery.space.autoformer}. A preset supplies every setting left
 * null.
 *
 * @param preset the named space: {@code supernet-t}, {@code supernet-s}, {@code supernet-b} (official,
 *     224×224), {@code tiny-28}, {@code tiny-32}
 * @param embedDims candidate embedding widths
 * @param depths candidate layer counts
 * @param mlpRatios candidate MLP ratios of each layer
 * @param numHeads candidate head counts of each layer
 * @param patchSize the side of a patch
 * @param headDim the width of every head
 * @param relativePosition whether attention adds relative position embeddings
 * @param maxRelativePosition the largest offset the relative embeddings tell apart
 * @param globalPool whether the head reads the mean of the patch tokens instead of the class token
 * @param rpe iRPE in every attention, or null for none
 * @param dropPathRate stochastic depth of the supernet's last layer, linear from 0 at the first
 */
public record AutoFormerSpaceSettings(String preset, List<Long> embedDims, List<Long> depths, List<Double> mlpRatios,
        List<Long> numHeads, Integer patchSize, Integer headDim, Boolean relativePosition, Integer maxRelativePosition,
        Boolean globalPool, RpeSettings rpe, double dropPathRate) {
    /** Checks the preset exists, the overrides are valid and the rate is a probability below 1. */
    public AutoFormerSpaceSettings {
        if (preset == null) {
            throw new IllegalArgumentException("preset is required; known: " + String.join(", ", Preset.ALL.keySet()));
        }
        Preset.named(preset);
        if (!(dropPathRate >= 0 && dropPathRate < 1)) {
            throw new IllegalArgumentException("drop-path-rate must be in [0, 1), got " + dropPathRate);
        }
        resolve(preset, embedDims, depths, mlpRatios, numHeads, patchSize, headDim, relativePosition, maxRelativePosition, globalPool,
                rpe);
    }

    /** @return the preset with the overrides applied */
    Preset resolved() {
        return resolve(preset, embedDims, depths, mlpRatios, numHeads, patchSize, headDim, relativePosition, maxRelativePosition,
                globalPool, rpe);
    }

    private static Preset resolve(String preset, List<Long> embedDims, List<Long> depths, List<Double> mlpRatios, List<Long> numHeads,
            Integer patchSize, Integer headDim, Boolean relativePosition, Integer maxRelativePosition, Boolean globalPool,
            RpeSettings rpe) {
        Preset base = Preset.named(preset);
        Structure s = base.structure();
        Structure structure = new Structure(or(patchSize, s.patchSize()), or(headDim, s.headDim()),
                or(relativePosition, s.relativePosition()), or(maxRelativePosition, s.maxRelativePosition()),
                or(globalPool, s.globalPool()), rpe == null ? s.rpe() : rpe.config(1));
        Preset.Candidates c = base.candidates();
        Preset.Candidates candidates = new Preset.Candidates(sorted(or(embedDims, c.embedDims())), sorted(or(depths, c.depths())),
                sorted(or(mlpRatios, c.mlpRatios())), sorted(or(numHeads, c.numHeads())));
        // The supernet keeps the preset's widths (official checkpoints stay loadable) and widens to hold every candidate.
        Preset.Widths w = base.supernet();
        Preset.Widths need = candidates.widest();
        Preset.Widths supernet = new Preset.Widths(Math.max(w.embedDim(), need.embedDim()), Math.max(w.depth(), need.depth()),
                Math.max(w.numHeads(), need.numHeads()), Math.max(w.mlpRatio(), need.mlpRatio()));
        return new Preset(base.name(), structure, supernet, candidates, base.task(), base.description());
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static <T extends Comparable<T>> List<T> sorted(List<T> values) {
        if (values.stream().distinct().count() != values.size()) {
            throw new IllegalArgumentException("candidate lists must not repeat a value, got " + values);
        }
        return values.stream().sorted().toList();
    }
}
