package dev.creamery.runtime.plugin;

import dev.creamery.api.Plugin;
import dev.creamery.runtime.data.Cifar10;
import dev.creamery.runtime.data.FashionMnist;
import dev.creamery.runtime.data.ImageFolderData;
import dev.creamery.runtime.data.SyntheticData;
import dev.creamery.runtime.job.InProcessExecutor;
import dev.creamery.runtime.search.ConstraintsEvaluator;
import dev.creamery.runtime.search.EvolutionSearch;
import dev.creamery.runtime.search.OneShotEvaluator;
import dev.creamery.runtime.search.RandomSearch;
import dev.creamery.runtime.search.TrainEvaluator;
import dev.creamery.runtime.space.ConvNetSpace;

/** The runtime's own components, registered through the same door as any plugin's. */
public final class BuiltinPlugin extends Plugin {
    @Override
    protected void configure() {
        strategy("random", RandomSearch.Settings.class, RandomSearch::new);
        strategy("evolution", EvolutionSearch.Settings.class, EvolutionSearch::new);
        evaluator("one-shot", OneShotEvaluator.Settings.class, OneShotEvaluator::new);
        evaluator("train", TrainEvaluator.Settings.class, TrainEvaluator::new);
        evaluator("constraints", ConstraintsEvaluator.Settings.class, ConstraintsEvaluator::new);
        data("fashion-mnist", FashionMnist.Settings.class, FashionMnist::new);
        data("cifar10", Cifar10.Settings.class, Cifar10::new);
        data("image-folder", ImageFolderData.Settings.class, ImageFolderData::new);
        data("synthetic", SyntheticData.Settings.class, SyntheticData::new);
        space("convnet", ConvNetSpace.Settings.class, ConvNetSpace::new);
        execution("in-process", InProcessExecutor.Settings.class, InProcessExecutor::new);
    }
}
