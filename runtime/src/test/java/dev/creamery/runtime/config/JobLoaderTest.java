package dev.creamery.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.runtime.Jobs;
import dev.creamery.runtime.job.JobLoader;
import dev.creamery.runtime.job.LoadedJob;
import dev.creamery.runtime.search.EvolutionSearch;
import dev.creamery.wiring.ConfigProblem;
import dev.creamery.wiring.InvalidConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobLoaderTest {
    @TempDir
    Path dir;

    @Test
    void loadsAJobWithOverridesIncludesAndDefaults() {
        Jobs.write(dir, "common.conf", "job.seed = 9");
        Path file = Jobs.write(dir, "search.conf", "include \"common.conf\"\n" + Jobs.TINY_SEARCH.replace("name = tiny", ""));
        LoadedJob job = Jobs.load(file, JobLoader.Purpose.SEARCH, "strategy.population=6", "job.budget.trials=30");
        assertThat(job.settings().name()).isEqualTo("search");
        assertThat(job.settings().seed()).isEqualTo(3);
        assertThat(job.settings().strategy()).isInstanceOf(EvolutionSearch.class);
        assertThat(job.effective().getInt("job.strategy.population")).isEqualTo(6);
        assertThat(job.effective().getInt("job.budget.trials")).isEqualTo(30);
        assertThat(job.effective().getDouble("job.strategy.mutation-probability")).isEqualTo(0.2);
        assertThat(job.render()).contains("population").contains("one-shot");
        Path seeded = Jobs.write(dir, "seeded.conf", "include \"common.conf\"\njob { data { type = synthetic }, model = tiny-mlp-s }");
        assertThat(Jobs.load(seeded, JobLoader.Purpose.TRAIN).settings().seed()).isEqualTo(9);
    }

    @Test
    void missingPartsOfASearchAreNamedWithTheAvailableComponents() {
        Path file = Jobs.write(dir, "empty.conf", "job { }");
        assertThatThrownBy(() -> Jobs.load(file, JobLoader.Purpose.SEARCH))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).problems()).extracting(ConfigProblem::path)
                        .containsExactly("job.data", "job.space", "job.evaluator", "job.strategy"))
                .hasMessageContaining("available: cifar10, fashion-mnist, image-folder, synthetic");
    }

    @Test
    void fileProblemsAreClear() {
        assertThatThrownBy(() -> Jobs.load(dir.resolve("nope.conf"), JobLoader.Purpose.SEARCH))
                .hasMessageContaining("nope.conf does not exist");
        Path broken = Jobs.write(dir, "broken.conf", "job { data { type = ");
        assertThatThrownBy(() -> Jobs.load(broken, JobLoader.Purpose.SEARCH)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("broken.conf").hasMessageContaining("cannot parse");
        Path noJob = Jobs.write(dir, "nojob.conf", "data { type = synthetic }");
        assertThatThrownBy(() -> Jobs.load(noJob, JobLoader.Purpose.SEARCH)).hasMessageContaining("no job { ... } block");
        Path file = Jobs.write(dir, "ok.conf", Jobs.TINY_SEARCH);
        assertThatThrownBy(() -> Jobs.load(file, JobLoader.Purpose.SEARCH, "strategy.population")).hasMessageContaining("path=value");
    }

    @Test
    void wrongTypesPointAtTheLineOfTheFile() {
        Path file = Jobs.write(dir, "typo.conf", Jobs.TINY_SEARCH.replace("population = 4", "population = many"));
        assertThatThrownBy(() -> Jobs.load(file, JobLoader.Purpose.SEARCH))
                .hasMessageContaining("typo.conf:8: job.strategy.population - expected a number");
    }
}
