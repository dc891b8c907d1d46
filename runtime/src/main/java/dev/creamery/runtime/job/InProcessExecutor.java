package dev.creamery.runtime.job;

import dev.creamery.api.Architecture;
import dev.creamery.api.TrialExecutor;
import java.util.List;
import java.util.function.Consumer;

/** Evaluates one architecture after the other in this process: what a run does unless told otherwise. */
public final class InProcessExecutor implements TrialExecutor {
    /** It has no settings. */
    public record Settings() {}

    /** @param settings none */
    public InProcessExecutor(Settings settings) {}

    @Override
    public void run(List<Architecture> batch, Work work, Consumer<Outcome> done) {
        TrialExecutor.inOrder(batch, work, done);
    }
}
