package dev.creamery.api;

import java.util.List;

/**
 * The kinds of components a plugin can register. Each kind has a config key: a job names a
 * component at {@code job.<key>.type}, and its defaults live at {@code creamery.<key>.<name>} in the
 * plugin's {@code reference.conf}.
 *
 * @param <T> the component interface
 */
public final class ComponentKind<T> {
    /** Search spaces ({@code job.space}). */
    public static final ComponentKind<SearchSpace> SPACE = new ComponentKind<>("space", "search space", SearchSpace.class);
    /** Search strategies ({@code job.strategy}). */
    public static final ComponentKind<SearchStrategy> STRATEGY =
            new ComponentKind<>("strategy", "search strategy", SearchStrategy.class);
    /** Evaluators ({@code job.evaluator}). */
    public static final ComponentKind<Evaluator> EVALUATOR = new ComponentKind<>("evaluator", "evaluator", Evaluator.class);
    /** Model families ({@code creamery models}, {@code job.model}). */
    public static final ComponentKind<ModelFamily> FAMILY = new ComponentKind<>("family", "model family", ModelFamily.class);
    /** Data sets ({@code job.data}). */
    public static final ComponentKind<ImageDataSet> DATA = new ComponentKind<>("data", "data set", ImageDataSet.class);

    /** Trial executors ({@code job.execution}): where a search's evaluations run. */
    public static final ComponentKind<TrialExecutor> EXECUTION =
            new ComponentKind<>("execution", "trial executor", TrialExecutor.class,
                    "executors other than in-process come in optional modules: spark is the distribution's engines/spark/ folder "
                            + "(docs/distributed.md)");

    private static final List<ComponentKind<?>> ALL = List.of(SPACE, STRATEGY, EVALUATOR, FAMILY, DATA, EXECUTION);

    private final String key;
    private final String description;
    private final Class<T> type;
    private final String elsewhere;

    private ComponentKind(String key, String description, Class<T> type) {
        this(key, description, type, "");
    }

    private ComponentKind(String key, String description, Class<T> type, String elsewhere) {
        this.key = key;
        this.description = description;
        this.type = type;
        this.elsewhere = elsewhere;
    }

    /** @return every kind, in a fixed order */
    public static List<ComponentKind<?>> all() {
        return ALL;
    }

    /** @return the config key, e.g. {@code strategy} */
    public String key() {
        return key;
    }

    /** @return a readable name, e.g. {@code search strategy} */
    public String description() {
        return description;
    }

    /** @return the component interface */
    public Class<T> type() {
        return type;
    }

    /** @return where components of this kind that a job names but the class path lacks may come from (empty if nowhere in particular) */
    public String elsewhere() {
        return elsewhere;
    }

    @Override
    public String toString() {
        return key;
    }
}
