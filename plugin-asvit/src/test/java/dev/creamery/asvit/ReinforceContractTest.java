package dev.creamery.asvit;

import dev.creamery.api.Architecture;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.SearchStrategy;
import dev.creamery.testkit.SearchStrategyContract;
import java.util.List;

/** REINFORCE needs plain choices, so the contract runs on the As-ViT space with a stand-in accuracy. */
class ReinforceContractTest extends SearchStrategyContract {
    @Override
    protected SearchStrategy strategy() {
        return new ReinforceSearch(new ReinforceSettings(60, 0.08, 0.9, 1e-3, List.of("accuracy:max"), "relative-change", 20, 1));
    }

    @Override
    protected SearchSpace space() {
        return new AsVitSpace();
    }

    @Override
    protected double score(Architecture architecture) {
        return ReinforceTest.toyAccuracy(architecture);
    }
}
