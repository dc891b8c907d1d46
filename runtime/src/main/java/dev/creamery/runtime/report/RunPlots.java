package dev.creamery.runtime.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.creamery.api.Complexity;
import dev.creamery.api.Metrics;
import dev.creamery.api.Objective;
import dev.creamery.api.Trial;
import dev.creamery.runtime.io.Journal;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A run's plots, by name, from its {@link RunRecord}: what the dashboard shows and what a run leaves
 * in its folder at the end (as SVG, and the first ones in {@code report.png}). Only plots with
 * something to show are made.
 *
 * <ul>
 *   <li>{@code params}, {@code flops}: the first objective against the cost, every trial, the Pareto
 *       front of the two, the best;
 *   <li>{@code best-trials}, {@code best-time}: the best so far over trials and over evaluation time;
 *   <li>{@code training-loss}, {@code training-accuracy}: per epoch of every checkpointed training;
 *   <li>one plot per quantity a strategy records ({@code progress.json}'s {@code series}), e.g. REINFORCE's {@code entropy}.
 * </ul>
 */
public final class RunPlots {
    /** The size every plot is drawn at (the page scales them). */
    public static final int WIDTH = 600;
    public static final int HEIGHT = 380;

    static final Color TRIAL = new Color(90, 110, 140, 140);
    static final Color FRONT = new Color(230, 120, 20);
    static final Color BEST = new Color(200, 20, 40);
    static final Color PROGRESS = new Color(30, 90, 200);

    private RunPlots() {}

    /** @return the run's plots, by name, in the order they are shown */
    public static Map<String, Chart> of(RunRecord run) {
        Map<String, Chart> charts = new LinkedHashMap<>();
        Objective primary = run.primary();
        List<Journal.Line> ok = run.lines().stream().filter(l -> Double.isFinite(l.trial().metricOrNaN(primary.metric()))).toList();
        if (!ok.isEmpty()) {
            long failed = run.lines().stream().filter(l -> l.trial().status() == Trial.Status.FAILED).count();
            String counts = ok.size() + " trials evaluated" + (failed > 0 ? ", " + failed + " failed" : "");
            charts.put("params", cost(primary, ok, "parameters", t -> t.complexity().params(), counts));
            if (ok.stream().anyMatch(l -> l.trial().complexity().flops() > 0)) {
                charts.put("flops", cost(primary, ok, "FLOPs", t -> t.complexity().flops(), counts));
            }
            charts.put("best-trials", bestSoFar(primary, ok, false));
            charts.put("best-time", bestSoFar(primary, ok, true));
        }
        if (!run.trainings().isEmpty()) {
            charts.put("training-loss", training(run.trainings(), "training loss", List.of("loss")));
            charts.put("training-accuracy", training(run.trainings(), "accuracy", List.of("accuracy", "validationAccuracy")));
        }
        if (run.progress().has("series") && run.progress().get("series").isJsonObject()) {
            for (Map.Entry<String, JsonElement> entry : run.progress().getAsJsonObject("series").entrySet()) {
                charts.put(entry.getKey(), recorded(entry.getKey(), entry.getValue().getAsJsonObject()));
            }
        }
        return charts;
    }

    /** @return how the objective's metric is named on an axis */
    static String label(Objective objective) {
        return objective.metric().equals(Metrics.ACCURACY) ? "validation accuracy" : objective.metric();
    }

    private static Chart cost(Objective primary, List<Journal.Line> ok, String costName, ToDoubleFunction<Trial> cost, String counts) {
        String metric = primary.metric();
        List<Chart.Point> points = ok.stream().map(l -> point(cost.applyAsDouble(l.trial()), l, primary)).toList();
        // The front of the two: no other trial is at least as good at no more cost.
        List<Journal.Line> byCost = ok.stream().sorted(Comparator.<Journal.Line>comparingDouble(l -> cost.applyAsDouble(l.trial()))
                .thenComparingDouble(l -> primary.maximize() ? -l.trial().metricOrNaN(metric) : l.trial().metricOrNaN(metric))).toList();
        List<Chart.Point> front = new ArrayList<>();
        double bestValue = Double.NaN;
        for (Journal.Line line : byCost) {
            double value = line.trial().metricOrNaN(metric);
            if (Double.isNaN(bestValue) || primary.better(value, bestValue)) {
                bestValue = value;
                front.add(point(cost.applyAsDouble(line.trial()), line, primary));
            }
        }
        Journal.Line best = best(primary, ok);
        return new Chart(label(primary) + " against " + costName, counts + "; Pareto front of " + front.size(),
                new Chart.Axis(costName, v -> Complexity.human(Math.round(v)), true), Chart.Axis.numbers(label(primary)),
                List.of(new Chart.Series("trial", TRIAL, Chart.Mark.DOTS, 3.5, points),
                        new Chart.Series("", FRONT, Chart.Mark.LINE, 2, front),
                        new Chart.Series("Pareto front", FRONT, Chart.Mark.DOTS, 4.5, front),
                        new Chart.Series("best", BEST, Chart.Mark.DOTS, 6.5, List.of(point(cost.applyAsDouble(best.trial()), best, primary)))));
    }

    private static Chart bestSoFar(Objective primary, List<Journal.Line> ok, boolean overTime) {
        List<Chart.Point> trials = new ArrayList<>();
        List<Chart.Point> best = new ArrayList<>();
        double bestValue = Double.NaN;
        double seconds = 0;
        for (int i = 0; i < ok.size(); i++) {
            Trial trial = ok.get(i).trial();
            seconds += trial.evaluation().costSeconds();
            double x = overTime ? seconds : i + 1;
            double value = trial.metricOrNaN(primary.metric());
            trials.add(point(x, ok.get(i), primary));
            if (Double.isNaN(bestValue) || primary.better(value, bestValue)) {
                bestValue = value;
            }
            best.add(new Chart.Point(x, bestValue, ""));
        }
        String caption = String.format(Locale.ROOT, "best %s %.4f", primary.metric(), bestValue)
                + (overTime ? "; time is the trials' evaluation seconds, summed" : "");
        return new Chart("best so far, " + (overTime ? "over time" : "over trials"), caption,
                overTime ? Chart.Axis.numbers("evaluation time (s)") : Chart.Axis.counts("trials evaluated"), Chart.Axis.numbers(label(primary)),
                List.of(new Chart.Series("trial", TRIAL, Chart.Mark.DOTS, 3, trials),
                        new Chart.Series("best so far", PROGRESS, Chart.Mark.STEPS, 2, best)));
    }

    private static Chart training(Map<String, JsonArray> trainings, String title, List<String> quantities) {
        List<Chart.Series> series = new ArrayList<>();
        int colour = 0;
        for (Map.Entry<String, JsonArray> training : trainings.entrySet()) {
            for (String quantity : quantities) {
                List<Chart.Point> points = new ArrayList<>();
                for (JsonElement element : training.getValue()) {
                    JsonObject epoch = element.getAsJsonObject();
                    if (epoch.has(quantity) && epoch.get(quantity).isJsonPrimitive() && epoch.get(quantity).getAsJsonPrimitive().isNumber()) {
                        points.add(new Chart.Point(epoch.get("epoch").getAsDouble(), epoch.get(quantity).getAsDouble(), ""));
                    }
                }
                if (points.stream().anyMatch(p -> Double.isFinite(p.y()))) {
                    String name = training.getKey() + (quantities.size() > 1 ? " " + (quantity.equals("accuracy") ? "train" : "validation") : "");
                    Color color = Chart.PALETTE.get(colour++ % Chart.PALETTE.size());
                    series.add(new Chart.Series(name, color, Chart.Mark.LINE, 2, points));
                    series.add(new Chart.Series("", color, Chart.Mark.DOTS, 3, points));
                }
            }
        }
        return new Chart(title + " per epoch", trainings.size() + " training(s)", Chart.Axis.counts("epoch"), Chart.Axis.numbers(title), series);
    }

    /** A quantity a strategy recorded (progress.json: {"unit": "step", "x": [...], "y": [...]}). */
    private static Chart recorded(String name, JsonObject series) {
        JsonArray xs = series.getAsJsonArray("x");
        JsonArray ys = series.getAsJsonArray("y");
        List<Chart.Point> points = new ArrayList<>();
        for (int i = 0; i < Math.min(xs.size(), ys.size()); i++) {
            points.add(new Chart.Point(xs.get(i).getAsDouble(), ys.get(i).getAsDouble(), ""));
        }
        String unit = series.has("unit") ? series.get("unit").getAsString() : "step";
        String title = series.has("title") ? series.get("title").getAsString() : name;
        return new Chart(title, points.size() + " values recorded by the strategy", Chart.Axis.counts(unit), Chart.Axis.numbers(title),
                List.of(new Chart.Series("", PROGRESS, Chart.Mark.LINE, 2, points)));
    }

    private static Journal.Line best(Objective primary, List<Journal.Line> ok) {
        Journal.Line best = ok.get(0);
        for (Journal.Line line : ok) {
            if (primary.better(line.trial().metricOrNaN(primary.metric()), best.trial().metricOrNaN(primary.metric()))) {
                best = line;
            }
        }
        return best;
    }

    private static Chart.Point point(double x, Journal.Line line, Objective primary) {
        Trial trial = line.trial();
        String label = String.format(Locale.ROOT, "trial %d%s: %s %.4f, %s params, %s FLOPs\n%s", trial.number(),
                line.phase().isEmpty() ? "" : " (" + line.phase() + ")", primary.metric(), trial.metricOrNaN(primary.metric()),
                Complexity.human(trial.complexity().params()), Complexity.human(trial.complexity().flops()), trial.architecture().canonical());
        return new Chart.Point(x, trial.metricOrNaN(primary.metric()), label);
    }
}
