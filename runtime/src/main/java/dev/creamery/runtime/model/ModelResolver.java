package dev.creamery.runtime.model;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.creamery.api.Architecture;
import dev.creamery.api.ComponentKind;
import dev.creamery.api.ModelFamily;
import dev.creamery.api.Registration;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.wiring.Names;
import dev.creamery.wiring.SettingsBinder;
import dev.creamery.wiring.ComponentRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a model name from the command line into something buildable: a variant ({@code
 * tinyvit-5m}), a family and architecture ({@code asvit:8,2,3|4,1,2|4,1,4|4,1,6|32}), or a run's
 * {@code model.json}.
 */
public final class ModelResolver {
    private final ComponentRegistry registry;

    /** @param registry the registered families */
    public ModelResolver(ComponentRegistry registry) {
        this.registry = registry;
    }

    /** @return every registered family with its name, by name */
    public List<NamedFamily> families() {
        List<NamedFamily> families = new ArrayList<>();
        for (Registration<?> registration : registry.of(ComponentKind.FAMILY)) {
            families.add(new NamedFamily(registration.name(), family(registration)));
        }
        return families;
    }

    /**
     * @param name a family name
     * @param family the family
     */
    public record NamedFamily(String name, ModelFamily family) {}

    /**
     * @param spec a variant, {@code family:architecture} or a path to a run's {@code model.json}
     * @return the model
     * @throws IllegalArgumentException if nothing of that name exists (listing what does)
     * @throws IOException if a {@code model.json} cannot be read
     */
    public ResolvedModel resolve(String spec) throws IOException {
        return resolve(spec, ConfigFactory.empty(), "model-settings");
    }

    /**
     * @param spec a variant, {@code family:architecture} or a path to a run's {@code model.json}
     * @param familySettings settings of the model's family over its defaults
     * @param path where those settings come from, for error messages
     * @return the model, built by a family with those settings
     * @throws IllegalArgumentException if nothing of that name exists (listing what does)
     * @throws dev.creamery.wiring.InvalidConfigException if the settings do not fit the family
     * @throws IOException if a {@code model.json} cannot be read
     */
    public ResolvedModel resolve(String spec, Config familySettings, String path) throws IOException {
        if (spec.endsWith(".json") || Files.isRegularFile(Path.of(spec))) {
            return fromDescription(Path.of(spec));
        }
        int colon = spec.indexOf(':');
        if (colon > 0) {
            String familyName = spec.substring(0, colon);
            Registration<ModelFamily> registration = registry.find(ComponentKind.FAMILY, familyName)
                    .orElseThrow(() -> new IllegalArgumentException("unknown model family '" + familyName + "'"
                            + Names.suggestion(familyName, familyNames()) + "; families: " + familyNames()));
            ModelFamily family = family(registration, familySettings, path);
            Architecture architecture = family.parse(spec.substring(colon + 1));
            Task task = family.task(architecture);
            return new ResolvedModel(spec, family, architecture, task, family.complexity(architecture, task), family::build, List.of(),
                    List.of());
        }
        List<String> known = new ArrayList<>();
        for (Registration<?> registration : registry.of(ComponentKind.FAMILY)) {
            for (Variant variant : family(registration).variants()) {
                if (variant.name().equals(spec)) {
                    ModelFamily family = family(registration, familySettings, path);
                    return new ResolvedModel(spec, family, variant.architecture(), variant.task(),
                            family.complexity(variant.architecture(), variant.task()), family::build, List.of(), List.of());
                }
                known.add(variant.name());
            }
        }
        throw new IllegalArgumentException("unknown model '" + spec + "'" + Names.suggestion(spec, known)
                + (known.isEmpty() ? "; no model families are installed" : "; variants: " + String.join(", ", known))
                + " (or family:architecture, or a run's model.json)");
    }

    private ResolvedModel fromDescription(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model description " + file + " does not exist");
        }
        ModelDescription description = ModelDescription.read(file);
        if (description.family() != null) {
            Registration<ModelFamily> registration = registry.find(ComponentKind.FAMILY, description.family())
                    .orElseThrow(() -> new IllegalArgumentException(file + " needs the model family '" + description.family()
                            + "', which no installed plugin provides; families: " + familyNames()));
            ModelFamily family = family(registration);
            // A run's export already has the block's own names: no official-checkpoint adaptation.
            return new ResolvedModel(file.toString(), null, description.architecture(), description.task(),
                    family.complexity(description.architecture(), description.task()), family::build, description.mean(),
                    description.std());
        }
        SettingsBinder binder = new SettingsBinder(registry);
        SearchSpace space;
        try {
            space = binder.component(ComponentKind.SPACE, description.space(), "space");
        } catch (ConfigException e) {
            throw new IOException(file + " has an unreadable space: " + e.getMessage(), e);
        }
        if (space == null) {
            throw new IllegalArgumentException(file + " describes a space this installation cannot build: "
                    + String.join("; ", binder.problems().stream().map(Object::toString).toList()));
        }
        space.validate(description.architecture());
        return new ResolvedModel(file.toString(), null, description.architecture(), description.task(),
                space.complexity(description.architecture(), description.task()), space::build, description.mean(),
                description.std());
    }

    /** Builds a family with its default settings. */
    private ModelFamily family(Registration<?> registration) {
        return family(registration, ConfigFactory.empty(), ComponentRegistry.defaultsPath(registration));
    }

    private ModelFamily family(Registration<?> registration, Config user, String path) {
        SettingsBinder binder = new SettingsBinder(registry);
        ModelFamily family = (ModelFamily) binder.create(registration, user, path);
        binder.throwIfInvalid();
        return family;
    }

    private List<String> familyNames() {
        return registry.of(ComponentKind.FAMILY).stream().map(Registration::name).toList();
    }
}
