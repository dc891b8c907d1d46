package dev.creamery.api;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import java.util.function.Supplier;

/**
 * The entry point of a plugin jar: a Guice module that registers components by name.
 *
 * <p>List the subclass in {@code META-INF/services/dev.creamery.api.Plugin}, put the defaults of
 * each component in the jar's {@code reference.conf} at {@code creamery.<kind>.<name>}, and register
 * each component in one line:
 *
 * <pre>{@code
 * public final class HillClimbingPlugin extends Plugin {
 *     @Override
 *     protected void configure() {
 *         strategy("hill-climbing", HillClimbingSettings.class, HillClimbing::new);
 *     }
 * }
 * }</pre>
 *
 * A component is built only when a job asks for it. Two plugins registering the same name for the
 * same kind is an error that names both jars. A component that needs runtime services registers
 * its class instead of a factory ({@link #register}) and asks for them in its {@code @Inject}
 * constructor; plugins may bind their own Guice services in {@code configure()} for it as usual.
 */
public abstract class Plugin extends AbstractModule {
    private static final TypeLiteral<Registration<?>> REGISTRATION = new TypeLiteral<>() {};

    /**
     * @param name the name jobs use, kebab-case
     * @param settings the settings record (a record)
     * @param factory makes the space
     * @param <S> the settings record
     */
    protected final <S extends Record> void space(String name, Class<S> settings, ComponentFactory<S, ? extends SearchSpace> factory) {
        register(ComponentKind.SPACE, name, settings, factory);
    }

    /**
     * @param name the name jobs use, kebab-case
     * @param settings the settings record (a record)
     * @param factory makes the strategy
     * @param <S> the settings record
     */
    protected final <S extends Record> void strategy(String name, Class<S> settings,
            ComponentFactory<S, ? extends SearchStrategy> factory) {
        register(ComponentKind.STRATEGY, name, settings, factory);
    }

    /**
     * @param name the name jobs use, kebab-case
     * @param settings the settings record (a record)
     * @param factory makes the evaluator
     * @param <S> the settings record
     */
    protected final <S extends Record> void evaluator(String name, Class<S> settings, ComponentFactory<S, ? extends Evaluator> factory) {
        register(ComponentKind.EVALUATOR, name, settings, factory);
    }

    /**
     * @param name the family name, kebab-case
     * @param settings the settings record (a record)
     * @param factory makes the family
     * @param <S> the settings record
     */
    protected final <S extends Record> void family(String name, Class<S> settings, ComponentFactory<S, ? extends ModelFamily> factory) {
        register(ComponentKind.FAMILY, name, settings, factory);
    }

    /**
     * Registers a family without settings.
     *
     * @param name the family name, kebab-case
     * @param factory makes the family
     */
    protected final void family(String name, Supplier<? extends ModelFamily> factory) {
        add(new Registration<>(ComponentKind.FAMILY, name, null, settings -> factory.get(), null, getClass()));
    }

    /**
     * @param name the name jobs use, kebab-case
     * @param settings the settings record (a record)
     * @param factory makes the data set
     * @param <S> the settings record
     */
    protected final <S extends Record> void data(String name, Class<S> settings, ComponentFactory<S, ? extends ImageDataSet> factory) {
        register(ComponentKind.DATA, name, settings, factory);
    }

    /**
     * @param name the name jobs use at {@code execution.type}, kebab-case
     * @param settings the settings record (a record)
     * @param factory makes the executor
     * @param <S> the settings record
     */
    protected final <S extends Record> void execution(String name, Class<S> settings,
            ComponentFactory<S, ? extends TrialExecutor> factory) {
        register(ComponentKind.EXECUTION, name, settings, factory);
    }

    /**
     * Registers a class that the runtime builds by injection when a job asks for it: its
     * {@code @Inject} constructor may take the settings record and runtime services —
     * {@link Components} (other components by name), and anything this plugin binds in
     * {@code configure()}.
     *
     * <pre>{@code
     * register(ComponentKind.EVALUATOR, "penalized", PenalizedSettings.class, Penalized.class);
     *
     * @Inject
     * Penalized(PenalizedSettings settings, Components components) { ... }
     * }</pre>
     *
     * @param kind the component kind
     * @param name the name jobs use, kebab-case
     * @param settings the settings record, or null if the component has none
     * @param implementation the class to build
     * @param <T> the component interface
     */
    protected final <T> void register(ComponentKind<T> kind, String name, Class<? extends Record> settings,
            Class<? extends T> implementation) {
        add(new Registration<>(kind, name, settings, null, implementation, getClass()));
    }

    private <T, S extends Record> void register(ComponentKind<T> kind, String name, Class<S> settings,
            ComponentFactory<S, ? extends T> factory) {
        add(new Registration<>(kind, name, settings, factory, null, getClass()));
    }

    private void add(Registration<?> registration) {
        Multibinder.newSetBinder(binder(), REGISTRATION).addBinding().toInstance(registration);
    }
}
