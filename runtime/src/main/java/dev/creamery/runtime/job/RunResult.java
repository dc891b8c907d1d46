package dev.creamery.runtime.job;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Metrics;
import dev.creamery.api.Objective;
import dev.creamery.api.SearchResult;
import dev.creamery.api.Trial;
import dev.creamery.runtime.io.ArchitectureJson;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What a search run came to: its best trial and how it was finalised, the trial counts, the Pareto
 * front over the job's objectives, the wall time. {@link #toJson} is the one place that writes it
 * as {@code result.json} (docs/configuration.md names every field).
 *
 * @param name the run's name
 * @param objectives the job's objectives
 * @param best the best trial by the first objective
 * @param finalized what became of it
 * @param baselines the members finalised the same way for comparison ({@code finalize.baselines})
 * @param trials trials journaled, in every phase of the search
 * @param failed of which failed
 * @param paretoFront the trials no other beats on every objective
 * @param wallSeconds the run's wall time
 */
public record RunResult(String name, List<Objective> objectives, Trial best, Final finalized, List<Baseline> baselines, int trials,
        long failed, List<Trial> paretoFront, double wallSeconds) {
    /** Copies the lists. */
    public RunResult {
        objectives = List.copyOf(objectives);
        baselines = List.copyOf(baselines);
        paretoFront = List.copyOf(paretoFront);
    }

    /**
     * What finalising the best architecture did.
     *
     * @param inherited whether it started from the weights its evaluator trained
     * @param retrainEpochs epochs of retraining
     * @param validationAccuracy its validation accuracy, if it was trained at all
     * @param testAccuracy its test accuracy, if measured
     * @param weights the exported weights, relative to the run folder, or null
     */
    public record Final(boolean inherited, int retrainEpochs, OptionalDouble validationAccuracy, OptionalDouble testAccuracy,
            String weights) {
        /** @return the outcome of a best architecture that nothing trained */
        static Final untrained() {
            return new Final(false, 0, OptionalDouble.empty(), OptionalDouble.empty(), null);
        }
    }

    /**
     * A member finalised beside the best for comparison.
     *
     * @param name which baseline: largest, smallest, random
     * @param architecture the member
     * @param complexity its size
     * @param outcome what finalising it gave
     */
    public record Baseline(String name, Architecture architecture, Complexity complexity, Final outcome) {}

    /**
     * @param name the run's name
     * @param objectives the job's objectives
     * @param result the search's result
     * @param journaled every trial the run journaled (all phases)
     * @param best its best trial
     * @param finalized what became of it
     * @param baselines the members finalised the same way for comparison
     * @param wallSeconds the run's wall time
     * @return the run's result
     */
    static RunResult of(String name, List<Objective> objectives, SearchResult result, List<Trial> journaled, Trial best, Final finalized,
            List<Baseline> baselines, double wallSeconds) {
        long failed = journaled.stream().filter(t -> t.status() == Trial.Status.FAILED).count();
        return new RunResult(name, objectives, best, finalized, baselines, journaled.size(), failed, result.paretoFront(),
                Math.round(wallSeconds * 10) / 10.0);
    }

    /** @return {@code result.json}'s content */
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("name", name);
        JsonArray goals = new JsonArray();
        for (Objective objective : objectives) {
            JsonObject o = new JsonObject();
            o.addProperty("metric", objective.metric());
            o.addProperty("goal", objective.maximize() ? "max" : "min");
            goals.add(o);
        }
        json.add("objectives", goals);
        JsonObject bestJson = new JsonObject();
        bestJson.add("architecture", ArchitectureJson.write(best.architecture()));
        bestJson.addProperty("canonical", best.architecture().canonical());
        bestJson.addProperty("trial", best.number());
        bestJson.addProperty("params", best.complexity().params());
        bestJson.addProperty("flops", best.complexity().flops());
        bestJson.addProperty("search_accuracy", best.metricOrNaN(Metrics.ACCURACY));
        finalized.validationAccuracy().ifPresent(a -> bestJson.addProperty("validation_accuracy", a));
        finalized.testAccuracy().ifPresent(a -> bestJson.addProperty("test_accuracy", a));
        bestJson.add("metrics", new GsonBuilder().serializeSpecialFloatingPointValues().create().toJsonTree(best.evaluation().metrics()));
        json.add("best", bestJson);
        JsonObject finalJson = new JsonObject();
        finalJson.addProperty("inherited", finalized.inherited());
        finalJson.addProperty("retrain_epochs", finalized.retrainEpochs());
        finalized.validationAccuracy().ifPresent(a -> finalJson.addProperty("validation_accuracy", a));
        finalized.testAccuracy().ifPresent(a -> finalJson.addProperty("test_accuracy", a));
        if (finalized.weights() != null) {
            finalJson.addProperty("weights", finalized.weights());
            finalJson.addProperty("description", "model.json");
        }
        json.add("final", finalJson);
        JsonArray compared = new JsonArray();
        for (Baseline baseline : baselines) {
            JsonObject b = new JsonObject();
            b.addProperty("name", baseline.name());
            b.add("architecture", ArchitectureJson.write(baseline.architecture()));
            b.addProperty("canonical", baseline.architecture().canonical());
            b.addProperty("params", baseline.complexity().params());
            b.addProperty("flops", baseline.complexity().flops());
            baseline.outcome().validationAccuracy().ifPresent(a -> b.addProperty("validation_accuracy", a));
            baseline.outcome().testAccuracy().ifPresent(a -> b.addProperty("test_accuracy", a));
            compared.add(b);
        }
        json.add("baselines", compared);
        json.addProperty("trials", trials);
        json.addProperty("failed", failed);
        JsonArray front = new JsonArray();
        for (Trial t : paretoFront) {
            JsonObject point = new JsonObject();
            point.addProperty("trial", t.number());
            point.addProperty("canonical", t.architecture().canonical());
            point.addProperty("params", t.complexity().params());
            point.addProperty("flops", t.complexity().flops());
            point.addProperty("accuracy", t.metricOrNaN(Metrics.ACCURACY));
            for (Objective objective : objectives) {
                if (!point.has(objective.metric())) {
                    point.addProperty(objective.metric(), t.metricOrNaN(objective.metric()));
                }
            }
            front.add(point);
        }
        json.add("pareto_front", front);
        json.addProperty("wall_seconds", wallSeconds);
        return json;
    }
}
