package dev.creamery.api;

import java.util.Objects;

/**
 * Optional behaviour of {@link Training#fit}: a name for progress and checkpoints, a per-step hook,
 * soft targets to learn from, validation after every epoch.
 */
public final class FitOptions {
    private final String name;
    private final boolean checkpoint;
    private final StepHook hook;
    private final boolean validateEachEpoch;
    private final SoftTargets targets;
    private final double targetWeight;

    private FitOptions(String name, boolean checkpoint, StepHook hook, boolean validateEachEpoch, SoftTargets targets,
            double targetWeight) {
        this.name = name;
        this.checkpoint = checkpoint;
        this.hook = hook;
        this.validateEachEpoch = validateEachEpoch;
        this.targets = targets;
        this.targetWeight = targetWeight;
    }

    /**
     * @param name what is trained, e.g. {@code "supernet"} (progress lines and checkpoint files use it)
     * @return options with no checkpoints, no hook, no per-epoch validation
     */
    public static FitOptions named(String name) {
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("fit name must be a file-name-safe word, got '" + name + "'");
        }
        return new FitOptions(name, false, null, false, null, 0);
    }

    /**
     * Saves model and optimizer state after every epoch in the evaluator's folder; if such a
     * checkpoint exists (a resumed run), training continues after its epoch instead of starting over.
     *
     * @return a copy with checkpoints on
     */
    public FitOptions checkpointed() {
        return new FitOptions(name, true, hook, validateEachEpoch, targets, targetWeight);
    }

    /**
     * @param stepHook runs before each step
     * @return a copy with the hook
     */
    public FitOptions hook(StepHook stepHook) {
        return new FitOptions(name, checkpoint, Objects.requireNonNull(stepHook), validateEachEpoch, targets, targetWeight);
    }

    /** @return a copy that measures validation accuracy after every epoch */
    public FitOptions validateEachEpoch() {
        return new FitOptions(name, checkpoint, hook, true, targets, targetWeight);
    }

    /**
     * Learns from soft targets: each step's loss is {@code (1 - weight)} times the cross-entropy with
     * the labels (label smoothing as the settings say) plus {@code weight} times the cross-entropy
     * with the targets' probabilities. Weight 1 learns from the targets alone (TinyViT's
     * distillation); the accuracy reported is still against the labels.
     *
     * @param softTargets the targets of every step
     * @param weight the share of the targets' loss, in (0, 1]
     * @return a copy with the targets
     */
    public FitOptions softTargets(SoftTargets softTargets, double weight) {
        if (!(weight > 0 && weight <= 1)) {
            throw new IllegalArgumentException("soft-target weight must be in (0, 1], got " + weight);
        }
        return new FitOptions(name, checkpoint, hook, validateEachEpoch, Objects.requireNonNull(softTargets), weight);
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return whether epochs are checkpointed and resumed */
    public boolean isCheckpointed() {
        return checkpoint;
    }

    /** @return the step hook, or null */
    public StepHook stepHook() {
        return hook;
    }

    /** @return the soft targets, or null to learn from the labels alone */
    public SoftTargets softTargets() {
        return targets;
    }

    /** @return the share of the soft targets' loss (0 without targets) */
    public double softTargetWeight() {
        return targetWeight;
    }

    /** @return whether validation accuracy is measured after every epoch */
    public boolean isValidatedEachEpoch() {
        return validateEachEpoch;
    }
}
