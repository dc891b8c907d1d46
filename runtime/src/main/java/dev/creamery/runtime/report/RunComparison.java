package dev.creamery.runtime.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.creamery.api.Architecture;
import dev.creamery.api.Trial;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How alike two runs rank the architectures both evaluated (one-shot scores against the same
 * members trained alone, or a training-free measure against trained accuracy): what
 * {@code creamery compare} prints and the dashboard plots.
 *
 * @param metric the metric of the first run
 * @param metricB the metric of the second
 * @param common the architectures both evaluated, best first by the first run
 * @param a their values in the first run
 * @param b their values in the second
 */
public record RunComparison(String metric, String metricB, List<Architecture> common, double[] a, double[] b, RankCorrelation correlation) {
    /**
     * @param first the first run's trials
     * @param second the second's
     * @throws IllegalArgumentException if fewer than two architectures have both metrics
     */
    public static RunComparison of(List<Trial> first, String metric, List<Trial> second, String metricB) {
        Map<Architecture, Double> x = scores(first, metric);
        Map<Architecture, Double> y = scores(second, metricB);
        List<Architecture> common = new ArrayList<>(x.keySet());
        common.retainAll(y.keySet());
        if (common.size() < 2) {
            throw new IllegalArgumentException("have " + common.size() + " successful architecture(s) with '" + metric + "' and '" + metricB
                    + "' in common; a rank correlation needs at least 2 (run the second job with the same seed, space, strategy"
                    + " and constraints as the first)");
        }
        common.sort(Comparator.comparing((Architecture arch) -> x.get(arch)).reversed());
        double[] a = common.stream().mapToDouble(x::get).toArray();
        double[] b = common.stream().mapToDouble(y::get).toArray();
        return new RunComparison(metric, metricB, List.copyOf(common), a, b, RankCorrelation.of(a, b));
    }

    /** The metric of each architecture the run evaluated successfully (its last evaluation, if several phases did). */
    private static Map<Architecture, Double> scores(List<Trial> trials, String metric) {
        Map<Architecture, Double> scores = new LinkedHashMap<>();
        for (Trial trial : trials) {
            double value = trial.metricOrNaN(metric);
            if (Double.isFinite(value)) {
                scores.put(trial.architecture(), value);
            }
        }
        return scores;
    }

    /** @return what was compared, as {@code "accuracy"} or {@code "accuracy against ntk"} */
    public String metrics() {
        return metric.equals(metricB) ? metric : metric + " against " + metricB;
    }

    /** @return the comparison as {@code creamery compare --json} prints it */
    public JsonObject toJson() {
        JsonObject object = new JsonObject();
        object.addProperty("metric", metric);
        object.addProperty("metric_b", metricB);
        object.addProperty("n", correlation.n());
        object.addProperty("kendall_tau", correlation.kendallTau());
        object.addProperty("p_value", correlation.pValue());
        object.addProperty("spearman_rho", correlation.spearmanRho());
        JsonArray pairs = new JsonArray();
        for (int i = 0; i < common.size(); i++) {
            JsonObject pair = new JsonObject();
            pair.addProperty("architecture", common.get(i).canonical());
            pair.addProperty("a", a[i]);
            pair.addProperty("b", b[i]);
            pairs.add(pair);
        }
        object.add("pairs", pairs);
        return object;
    }

    /**
     * @param nameA the first run's name
     * @param nameB the second's
     * @return each common architecture at its rank in both runs (1 = highest value): on the diagonal where they agree
     */
    public Chart rankScatter(String nameA, String nameB) {
        int[] rankA = ranks(a);
        int[] rankB = ranks(b);
        List<Chart.Point> points = new ArrayList<>();
        for (int i = 0; i < common.size(); i++) {
            points.add(new Chart.Point(rankA[i], rankB[i], String.format(Locale.ROOT, "rank %d in %s (%s %.4f), rank %d in %s (%s %.4f)\n%s", rankA[i],
                    nameA, metric, a[i], rankB[i], nameB, metricB, b[i], common.get(i).canonical())));
        }
        List<Chart.Point> diagonal = List.of(new Chart.Point(1, 1, ""), new Chart.Point(common.size(), common.size(), ""));
        return new Chart("rank in " + nameA + " against rank in " + nameB,
                String.format(Locale.ROOT, "%d architectures in common, %s: Kendall tau %.3f (p %.3g), Spearman rho %.3f", correlation.n(),
                        metrics(), correlation.kendallTau(), correlation.pValue(), correlation.spearmanRho()),
                Chart.Axis.counts("rank by " + metric + " in " + nameA), Chart.Axis.counts("rank by " + metricB + " in " + nameB),
                List.of(new Chart.Series("same rank", new java.awt.Color(200, 200, 200), Chart.Mark.LINE, 1.5, diagonal),
                        new Chart.Series("architecture", RunPlots.PROGRESS, Chart.Mark.DOTS, 4.5, points)));
    }

    /** @return each value's rank, 1 for the highest; ties share the better rank */
    private static int[] ranks(double[] values) {
        int[] ranks = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            int rank = 1;
            for (double other : values) {
                if (other > values[i]) {
                    rank++;
                }
            }
            ranks[i] = rank;
        }
        return ranks;
    }
}
