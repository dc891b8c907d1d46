package dev.creamery.cream;

import dev.creamery.api.Plugin;

/**
 * Cream ("Cream of the Crop: Distilling Prioritized Paths For One-Shot Neural Architecture Search",
 * NeurIPS 2020): the {@code cream} space with its one-shot supernet, the {@code prioritized-path}
 * evaluator that trains it with a board of prioritized paths and a meta-matching network, the
 * {@code board} strategy that picks the final path from that board, and the {@code cream} family of
 * retrained child networks.
 */
public final class CreamPlugin extends Plugin {
    @Override
    protected void configure() {
        space("cream", CreamSpaceSettings.class, CreamSpace::new);
        family("cream", CreamSettings.class, CreamFamily::new);
        evaluator("prioritized-path", PrioritizedPathSettings.class, PrioritizedPathEvaluator::new);
        strategy("board", BoardSearch.Settings.class, BoardSearch::new);
    }
}
