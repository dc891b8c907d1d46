package dev.creamery.api;

import java.util.Objects;

/**
 * Optional behaviour of {@link Training#fit}: a name for progress and checkpoints, a per-step hook,
 * validation after every epoch.
 */
public final class FitOptions {
    private final String name;
    private final boolean checkpoint;
    private final StepHook hook;
    private final boolean validateEachEpoch;

    private FitOptions(String name, boolean checkpoint, StepHook hook, boolean validateEachEpoch) {
        this.name = name;
        this.checkpoint = checkpoint;
        this.hook = hook;
        this.validateEachEpoch = validateEachEpoch;
    }

    /**
     * @param name what is trained, e.g. {@code "supernet"} (progress lines and checkpoint files use it)
     * @return options with no checkpoints, no hook, no per-epoch validation
     */
    public static FitOptions named(String name) {
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("fit name must be a file-name-safe word, got '" + name + "'");
        }
        return new FitOptions(name, false, null, false);
    }

    /**
     * Saves model and optimizer state after every epoch in the evaluator's folder; if such a
     * checkpoint exists (a resumed run), training continues after its epoch instead of starting over.
     *
     * @return a copy with checkpoints on
     */
    public FitOptions checkpointed() {
        return new FitOptions(name, true, hook, validateEachEpoch);
    }

    /**
     * @param stepHook runs before each step
     * @return a copy with the hook
     */
    public FitOptions hook(StepHook stepHook) {
        return new FitOptions(name, checkpoint, Objects.requireNonNull(stepHook), validateEachEpoch);
    }

    /** @return a copy that measures validation accuracy after every epoch */
    public FitOptions validateEachEpoch() {
        return new FitOptions(name, checkpoint, hook, true);
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

    /** @return whether validation accuracy is measured after every epoch */
    public boolean isValidatedEachEpoch() {
        return validateEachEpoch;
    }
}
