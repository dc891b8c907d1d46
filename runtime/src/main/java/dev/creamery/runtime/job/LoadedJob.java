package dev.creamery.runtime.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.nio.file.Path;

/**
 * A job file, validated and bound.
 *
 * @param file the job file
 * @param settings the bound settings (components built)
 * @param effective every setting in force (the user's values over the defaults), under {@code job}
 */
public record LoadedJob(Path file, JobSettings settings, Config effective) {
    /** @return whether this is a training job (a model and no strategy) rather than a search */
    public boolean isTraining() {
        return settings.model() != null && settings.strategy() == null;
    }

    /** @return the effective configuration as HOCON text, as written to a run's {@code job.conf} */
    public String render() {
        return effective.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false)) + "\n";
    }
}
