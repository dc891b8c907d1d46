package dev.creamery.runtime.job;

import com.typesafe.config.Config;
import dev.creamery.api.Architecture;
import dev.creamery.api.ConfigKey;
import dev.creamery.api.Evaluator;
import dev.creamery.api.ImageDataSet;
import dev.creamery.api.Objective;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.SearchStrategy;
import dev.creamery.api.TrainingSettings;
import dev.creamery.api.TrialExecutor;
import dev.creamery.runtime.distill.DistillationSettings;
import dev.creamery.runtime.train.Seeds;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A job, bound from the {@code job { ... }} block of a job file over the defaults at
 * {@code creamery.job}. A search job ({@code creamery run}) needs {@code space}, {@code evaluator}
 * and {@code strategy}; a training job ({@code creamery train}) needs {@code model}.
 *
 * @param name the run's name (its folder is {@code runs/<name>}); defaults to the job file's name
 * @param seed the seed every random choice derives from
 * @param compute where and how to compute
 * @param execution where a search's evaluations run (key {@code execution}: in-process, or spark with engine-spark)
 * @param data the data set
 * @param space the search space (search jobs)
 * @param evaluator scores architectures (search jobs)
 * @param strategy drives the search (search jobs)
 * @param budget limits of the search
 * @param objectives what the search optimises: the first decides the best trial, all of them the
 *     Pareto front; strategies that rank candidates rank by them
 * @param completion what happens to the best architecture (key {@code finalize})
 * @param model what a training job trains: a variant ({@code tinyvit-5m}) or {@code family:architecture}
 * @param modelSettings settings of the model's family for a training job, over the family's defaults
 *     (e.g. As-ViT's {@code progressive-tokenization})
 * @param training the schedule of a training job
 * @param distillation whether a training job learns from a teacher's soft labels
 */
public record JobSettings(String name, long seed, Compute compute, TrialExecutor execution, ImageDataSet data, SearchSpace space, Evaluator evaluator,
        SearchStrategy strategy, BudgetSettings budget, List<Objective> objectives, @ConfigKey("finalize") FinalizeSettings completion, String model, Config modelSettings,
        TrainingSettings training,
        DistillationSettings distillation) {

    /** Checks the name can be a folder name and the objectives are a list of distinct metrics. */
    public JobSettings {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("name must be a word of letters, digits, '_', '.', '-' (it names the run folder), got '"
                    + name + "'");
        }
        if (objectives == null || objectives.isEmpty()) {
            throw new IllegalArgumentException("objectives must list at least one {metric = ..., goal = max | min}");
        }
        if (objectives.stream().map(Objective::metric).distinct().count() < objectives.size()) {
            throw new IllegalArgumentException("objectives must name each metric once, got " + objectives);
        }
    }

    /**
     * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
     * @param threads intra-op threads of the engine (0: all cores)
     */
    public record Compute(String device, int threads) {
        /** Checks the device spelling and the thread count. */
        public Compute {
            if (!device.matches("auto|cpu|gpu|gpu:\\d+")) {
                throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, got '" + device + "'");
            }
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0 (0 uses all cores), got " + threads);
            }
        }
    }

    /**
     * @param trials the most trials to evaluate (0: no limit beyond the strategy's own)
     * @param time the most wall time the search may take (0s: no limit)
     */
    public record BudgetSettings(int trials, Duration time) {
        /** Checks the limits are not negative. */
        public BudgetSettings {
            if (trials < 0 || time.isNegative()) {
                throw new IllegalArgumentException("budget limits must be >= 0");
            }
        }
    }

    /**
     * @param inherit start the final model from the weights it inherits from the supernet (when the evaluator has them)
     * @param retrain training of the final model (epochs = 0: none)
     * @param baselines members finalised beside the best, the same way, to show what the search bought
     * @param test score the final model on the test split
     * @param export write the final model's weights as safetensors
     */
    public record FinalizeSettings(boolean inherit, TrainingSettings retrain, List<Baseline> baselines, boolean test, boolean export) {
        /** Copies the list; a member named twice is a mistake. */
        public FinalizeSettings {
            if (baselines.stream().distinct().count() != baselines.size()) {
                throw new IllegalArgumentException("names a baseline twice: " + baselines.stream().map(Baseline::key).toList());
            }
            baselines = List.copyOf(baselines);
        }
    }

    /** A member of the space that the best architecture is compared with. */
    public enum Baseline {
        /** The space's largest member. */
        LARGEST,
        /** The space's smallest member. */
        SMALLEST,
        /** A member drawn uniformly from the space, under the job's seed. */
        RANDOM;

        /**
         * @param space the searched space
         * @param seed the job's seed
         * @return the member this baseline names
         */
        public Architecture pick(SearchSpace space, long seed) {
            return switch (this) {
                case LARGEST -> space.largest();
                case SMALLEST -> space.smallest();
                case RANDOM -> space.sample(new Random(Seeds.mix(seed, "baseline-random")));
            };
        }

        /** @return the name a job file gives it */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
