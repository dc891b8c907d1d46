package dev.creamery.runtime.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValueFactory;
import dev.creamery.api.ComponentKind;
import dev.creamery.api.Registration;
import dev.creamery.runtime.model.ModelResolver;
import dev.creamery.runtime.model.ResolvedModel;
import dev.creamery.wiring.ComponentRegistry;
import dev.creamery.wiring.ConfigProblem;
import dev.creamery.wiring.InvalidConfigException;
import dev.creamery.wiring.SettingsBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a job file: HOCON with includes, {@code --set path=value} overrides on top, the defaults
 * of every component underneath; validates the whole job and reports every problem at once.
 */
public final class JobLoader {
    private final ComponentRegistry registry;

    /** @param registry the registered components and their defaults */
    public JobLoader(ComponentRegistry registry) {
        this.registry = registry;
    }

    /** What a job is for: which parts it must have. */
    public enum Purpose {
        /** {@code creamery run}: space, evaluator and strategy are required. */
        SEARCH,
        /** {@code creamery train}: model is required. */
        TRAIN,
        /** {@code creamery validate}: a training job if it names a model and no strategy, else a search. */
        ANY
    }

    /**
     * @param file the job file
     * @param overrides {@code path=value} settings, relative to {@code job} (a leading {@code job.} is allowed)
     * @param purpose which parts are required
     * @return the bound job
     * @throws InvalidConfigException listing every problem
     */
    public LoadedJob load(Path file, List<String> overrides, Purpose purpose) {
        List<ConfigProblem> problems = new ArrayList<>();
        String fileName = file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException(List.of(new ConfigProblem("job", "job file " + file + " does not exist", "")));
        }
        Config parsed;
        try {
            parsed = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)
                    .setSyntax(ConfigSyntax.CONF));
        } catch (ConfigException e) {
            throw new InvalidConfigException(List.of(new ConfigProblem("job", "cannot parse: " + e.getMessage(), fileName)));
        }
        Config overridden = ConfigFactory.empty();
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                problems.add(new ConfigProblem("--set", "expected path=value, got '" + override + "'", "--set"));
                continue;
            }
            String path = override.substring(0, eq).trim();
            String fullPath = path.startsWith("job.") ? path : "job." + path;
            try {
                Config one = ConfigFactory.parseString(fullPath + " = " + override.substring(eq + 1),
                        ConfigParseOptions.defaults().setOriginDescription("--set " + override));
                overridden = one.withFallback(overridden);
            } catch (ConfigException e) {
                problems.add(new ConfigProblem(fullPath, "cannot parse the value of '" + override + "': " + e.getMessage(), "--set"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        Config merged;
        try {
            merged = overridden.withFallback(parsed).withFallback(registry.reference()).resolve();
        } catch (ConfigException e) {
            throw new InvalidConfigException(List.of(new ConfigProblem("job", e.getMessage(), fileName)));
        }
        if (!merged.hasPath("job") || !(merged.getValue("job") instanceof com.typesafe.config.ConfigObject)) {
            throw new InvalidConfigException(List.of(new ConfigProblem("job", "the file has no job { ... } block", fileName)));
        }
        Config job = merged.getConfig("job");
        if (!job.hasPath("name")) {
            String stem = fileName.endsWith(".conf") ? fileName.substring(0, fileName.length() - 5) : fileName;
            job = job.withValue("name", ConfigValueFactory.fromAnyRef(stem, "the job file's name"));
        }
        SettingsBinder binder = new SettingsBinder(registry);
        JobSettings settings = binder.bind(job, registry.reference().getConfig("creamery.job"), JobSettings.class, "job");
        if (settings != null) {
            requireParts(settings, purpose, binder, fileName);
        }
        binder.throwIfInvalid();
        return new LoadedJob(file, settings, binder.effectiveConfig());
    }

    private void requireParts(JobSettings settings, Purpose asked, SettingsBinder binder, String file) {
        Purpose purpose = asked != Purpose.ANY ? asked
                : settings.model() != null && settings.strategy() == null ? Purpose.TRAIN : Purpose.SEARCH;
        if (settings.data() == null) {
            binder.report("job.data", "a job needs a data set: data { type = ... }; available: " + names(ComponentKind.DATA), file);
        }
        if (purpose == Purpose.SEARCH) {
            if (settings.space() == null) {
                binder.report("job.space", "a search needs a space { type = ... }; available: " + names(ComponentKind.SPACE), file);
            }
            if (settings.evaluator() == null) {
                binder.report("job.evaluator", "a search needs an evaluator { type = ... }; available: " + names(ComponentKind.EVALUATOR),
                        file);
            }
            if (settings.strategy() == null) {
                binder.report("job.strategy", "a search needs a strategy { type = ... }; available: " + names(ComponentKind.STRATEGY),
                        file);
            }
        } else if (settings.model() == null) {
            binder.report("job.model", "a training job needs model = <variant> or <family>:<architecture> (see 'creamery models')",
                    file);
        } else {
            checkModel(settings, binder, file);
        }
    }

    /**
     * A training job's model must resolve, its family must accept the job's model settings, and the
     * model must build for the data (building makes no arrays).
     */
    private void checkModel(JobSettings settings, SettingsBinder binder, String file) {
        try {
            ResolvedModel model = new ModelResolver(registry).resolve(settings.model(), settings.modelSettings(), "job.model-settings");
            if (settings.data() != null) {
                model.builder().apply(model.architecture(), settings.data().task());
            }
        } catch (InvalidConfigException e) {
            e.problems().forEach(p -> binder.report(p.path(), p.message(), p.origin() == null ? file : p.origin()));
        } catch (IllegalArgumentException | IOException e) {
            binder.report("job.model", e.getMessage(), file);
        }
    }

    private String names(ComponentKind<?> kind) {
        return String.join(", ", registry.of(kind).stream().map(Registration::name).toList());
    }
}
