package dev.creamery.asvit;

import dev.creamery.api.Plugin;
import dev.creamery.asvit.TrainingFreeEvaluator.Measure;
import java.util.EnumSet;

/**
 * As-ViT ("Auto-scaling Vision Transformers without Training", ICLR 2022): the {@code asvit} space
 * and family, the training-free evaluators {@code ntk-condition}, {@code length-distortion} and
 * {@code training-free} (both), and the strategies {@code reinforce} (topology search) and
 * {@code grow} (scaling).
 */
public final class AsVitPlugin extends Plugin {
    @Override
    protected void configure() {
        space("asvit", AsVitSettings.class, AsVitSpace::new);
        family("asvit", AsVitSettings.class, AsVitFamily::new);
        evaluator("ntk-condition", MeasureSettings.Ntk.class, s -> new TrainingFreeEvaluator(s.measures(), EnumSet.of(Measure.NTK_CONDITION)));
        evaluator("length-distortion", MeasureSettings.Length.class, s -> new TrainingFreeEvaluator(s.measures(), EnumSet.of(Measure.LENGTH_DISTORTION)));
        evaluator("training-free", MeasureSettings.Both.class, s -> new TrainingFreeEvaluator(s.measures(), EnumSet.allOf(Measure.class)));
        strategy("reinforce", ReinforceSettings.class, ReinforceSearch::new);
        strategy("grow", GrowSettings.class, GrowSearch::new);
    }
}
