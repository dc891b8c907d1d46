package dev.creamery.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.creamery.api.Bounds;
import dev.creamery.api.ComponentKind;
import dev.creamery.api.Constraints;
import dev.creamery.api.SearchStrategy;
import dev.creamery.api.TrainingSettings;
import dev.creamery.runtime.Jobs;
import dev.creamery.runtime.search.EvolutionSearch;
import dev.creamery.wiring.ConfigProblem;
import dev.creamery.wiring.Names;
import dev.creamery.wiring.SettingsBinder;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsBinderTest {
    record Example(int count, double rate, String label, List<Integer> sizes, Bounds range, TrainingSettings.OptimizerKind optimizer,
            Constraints limits) {
        Example {
            if (count > 100) {
                throw new IllegalArgumentException("count must be <= 100, got " + count);
            }
        }
    }

    private static final String DEFAULTS = """
            count = 3, rate = 0.5, label = x, sizes = [1, 2], range = [0, inf], optimizer = adamw
            limits { params = [0, inf], flops = [0, inf] }
            """;

    private Example bind(String user, SettingsBinder binder) {
        return binder.bind(ConfigFactory.parseString(user), ConfigFactory.parseString(DEFAULTS), Example.class, "job.x");
    }

    @Test
    void bindsValuesOverDefaultsWithSuffixesAndRanges() {
        SettingsBinder binder = new SettingsBinder(Jobs.registry());
        Example example = bind("count = 7, range = [100k, 1.5M], optimizer = sgd, limits { params = [1k, 2k] }", binder);
        assertThat(binder.problems()).isEmpty();
        assertThat(example.count()).isEqualTo(7);
        assertThat(example.rate()).isEqualTo(0.5);
        assertThat(example.sizes()).containsExactly(1, 2);
        assertThat(example.range()).isEqualTo(new Bounds(100_000, 1_500_000));
        assertThat(example.optimizer()).isEqualTo(TrainingSettings.OptimizerKind.SGD);
        assertThat(example.limits().params()).isEqualTo(new Bounds(1000, 2000));
        assertThat(example.limits().flops()).isEqualTo(Bounds.ANY);
    }

    @Test
    void reportsEveryProblemWithPathAndSuggestion() {
        SettingsBinder binder = new SettingsBinder(Jobs.registry());
        assertThat(bind("cuont = 1, rate = fast, sizes = 3, optimizer = adam, range = [5, 1]", binder)).isNull();
        assertThat(binder.problems()).extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder("job.x.cuont", "job.x.rate", "job.x.sizes", "job.x.optimizer", "job.x.range");
        assertThat(binder.problems()).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m)
                .contains("unknown setting 'cuont'").contains("did you mean 'count'?"));
        assertThat(binder.problems()).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m)
                .contains("'adam' is not one of [adamw, sgd]").contains("did you mean 'adamw'"));
        assertThat(binder.problems()).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m).contains("0 <= min <= max"));
    }

    @Test
    void domainRulesOfTheRecordAreReportedAtItsPath() {
        SettingsBinder binder = new SettingsBinder(Jobs.registry());
        assertThat(bind("count = 500", binder)).isNull();
        assertThat(binder.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("job.x");
            assertThat(p.message()).isEqualTo("count must be <= 100, got 500");
        });
    }

    record Required(SearchStrategy inner) {
        Required {
            java.util.Objects.requireNonNull(inner, "required needs an inner strategy: inner { type = evolution }");
        }
    }

    @Test
    void aMissingRequiredSettingIsReportedNotThrown() {
        SettingsBinder binder = new SettingsBinder(Jobs.registry());
        assertThat(binder.bind(ConfigFactory.empty(), ConfigFactory.parseString("inner = null"), Required.class, "job.strategy")).isNull();
        assertThat(binder.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("job.strategy");
            assertThat(p.message()).isEqualTo("required needs an inner strategy: inner { type = evolution }");
        });
    }

    record Trained(TrainingSettings training) {}

    /** TrainingSettings is made by a builder (so it can gain settings): bound key by key, checked like a record. */
    @Test
    void bindsBuilderMadeSettingsKeyByKey() {
        SettingsBinder binder = new SettingsBinder(Jobs.registry());
        com.typesafe.config.Config defaults = Jobs.registry().reference().getConfig("creamery").withOnlyPath("training");
        Trained bound = binder.bind(ConfigFactory.parseString("training { epochs = 3, lr = 2e-3 }"), defaults, Trained.class, "job.x");
        assertThat(binder.problems()).isEmpty();
        assertThat(bound.training().epochs()).isEqualTo(3);
        assertThat(bound.training().lr()).isEqualTo(2e-3);
        assertThat(bound.training().toBuilder().epochs(3).lr(2e-3).build()).isEqualTo(bound.training());
        assertThat(binder.bind(ConfigFactory.parseString("training { epoch = 3, lr = -1 }"), defaults, Trained.class, "job.x")).isNull();
        assertThat(binder.problems()).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m)
                .startsWith("unknown setting 'epoch' at job.x.training; did you mean 'epochs'?"));
        SettingsBinder second = new SettingsBinder(Jobs.registry());
        assertThat(second.bind(ConfigFactory.parseString("training { lr = -1 }"), defaults, Trained.class, "job.x")).isNull();
        assertThat(second.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("job.x.training");
            assertThat(p.message()).isEqualTo("lr must be > 0, got -1.0");
        });
    }

    @Test
    void buildsNestedComponentsFromTheirTypeAndDefaults() {
        SettingsBinder binder = new SettingsBinder(Jobs.registry());
        SearchStrategy strategy = binder.component(ComponentKind.STRATEGY, ConfigFactory.parseString(
                "type = evolution, population = 8, mutations = 2, crossovers = 2"), "job.strategy");
        assertThat(binder.problems()).isEmpty();
        assertThat(strategy).isInstanceOf(EvolutionSearch.class);
        assertThat(binder.effectiveConfig().getInt("job.strategy.population")).isEqualTo(8);
        assertThat(binder.effectiveConfig().getInt("job.strategy.generations")).isEqualTo(20);
        assertThat(binder.effectiveConfig().getString("job.strategy.type")).isEqualTo("evolution");
    }

    @Test
    void unknownTypesListTheKnownOnes() {
        SettingsBinder binder = new SettingsBinder(Jobs.registry());
        assertThat(binder.component(ComponentKind.STRATEGY, ConfigFactory.parseString("type = evolutoin"), "job.strategy")).isNull();
        assertThat(binder.problems()).singleElement().satisfies(p -> assertThat(p.message())
                .isEqualTo("unknown search strategy 'evolutoin'; did you mean 'evolution'?; available: evolution, random"));
    }

    @Test
    void namesAreKebabCase() {
        assertThat(Names.kebab("mutationProbability")).isEqualTo("mutation-probability");
        assertThat(Names.kebabConstant("IMAGE_FOLDER")).isEqualTo("image-folder");
        assertThat(Names.closest("populaton", List.of("population", "parents"))).contains("population");
        assertThat(Names.closest("zzz", List.of("population"))).isEmpty();
    }
}
