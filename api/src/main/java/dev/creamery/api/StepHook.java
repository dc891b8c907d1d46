package dev.creamery.api;

import ai.djl.nn.Parameter;
import java.util.Collection;
import java.util.Random;

/**
 * Runs before every training step; the one-shot evaluator uses it to activate a freshly sampled
 * member of a supernet.
 */
@FunctionalInterface
public interface StepHook {
    /**
     * @param step the global step number, from 0
     * @param random this step's random source (the same in a resumed run)
     * @return the parameters this step updates
     */
    Collection<Parameter> beforeStep(long step, Random random);
}
