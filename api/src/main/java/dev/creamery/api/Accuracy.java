package dev.creamery.api;

/**
 * A model's score on a split.
 *
 * @param top1 fraction of examples whose highest logit is the label
 * @param loss mean cross-entropy (without label smoothing)
 * @param examples how many examples were scored
 */
public record Accuracy(double top1, double loss, int examples) {}
