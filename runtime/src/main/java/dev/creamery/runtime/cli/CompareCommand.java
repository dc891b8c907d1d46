package dev.creamery.runtime.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.creamery.api.Architecture;
import dev.creamery.api.Trial;
import dev.creamery.runtime.job.Journal;
import dev.creamery.runtime.report.RankCorrelation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code creamery compare RUN_A RUN_B}: how alike two runs rank the architectures both evaluated
 * (one-shot scores against the same members trained alone, or a training-free measure against
 * trained accuracy).
 */
@Command(name = "compare", description = "Rank correlation (Kendall tau, Spearman rho) of a metric over the architectures two runs both evaluated.")
final class CompareCommand implements Callable<Integer> {
    @ParentCommand
    Creamery root;

    @Parameters(index = "0", paramLabel = "RUN_A", description = "A run folder or its trials.jsonl.")
    Path first;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "Another run folder or trials.jsonl.")
    Path second;

    @Option(names = "--metric", description = "The metric to rank by (default: ${DEFAULT-VALUE}).", defaultValue = "accuracy")
    String metric;

    @Option(names = "--metric-b", description = "The metric of RUN_B, if it differs (a training-free measure against accuracy).")
    String metricB;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        String other = metricB == null ? metric : metricB;
        Map<Architecture, Double> a = scores(first, metric);
        Map<Architecture, Double> b = scores(second, other);
        List<Architecture> common = new ArrayList<>(a.keySet());
        common.retainAll(b.keySet());
        if (common.size() < 2) {
            throw new UsageException(first + " and " + second + " have " + common.size() + " successful architecture(s) with '" + metric
                    + "' and '" + other + "' in common; a rank correlation needs at least 2 (run the second job with the same seed, space, strategy"
                    + " and constraints as the first)");
        }
        common.sort(Comparator.comparing((Architecture arch) -> a.get(arch)).reversed());
        double[] x = common.stream().mapToDouble(a::get).toArray();
        double[] y = common.stream().mapToDouble(b::get).toArray();
        RankCorrelation correlation = RankCorrelation.of(x, y);
        PrintWriter out = root.spec.commandLine().getOut();
        if (json) {
            out.println(new GsonBuilder().setPrettyPrinting().create().toJson(toJson(correlation, other, common, x, y)));
            return Creamery.OK;
        }
        out.printf("%-10s %-10s %s%n", "A", "B", "ARCHITECTURE");
        for (int i = 0; i < common.size(); i++) {
            out.printf(Locale.ROOT, "%-10.4f %-10.4f %s%n", x[i], y[i], common.get(i).canonical());
        }
        out.printf(Locale.ROOT, "%d architectures in common, %s: Kendall tau %.3f (p %.3g), Spearman rho %.3f%n", correlation.n(),
                metric.equals(other) ? metric : metric + " against " + other,
                correlation.kendallTau(), correlation.pValue(), correlation.spearmanRho());
        return Creamery.OK;
    }

    /** The metric of each architecture the run evaluated successfully (its last evaluation, if several phases did). */
    private static Map<Architecture, Double> scores(Path run, String metric) {
        Path file = Files.isDirectory(run) ? run.resolve("trials.jsonl") : run;
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + " does not exist; give a run folder (holding trials.jsonl) or a trials.jsonl file");
        }
        List<Trial> trials;
        try {
            trials = Journal.read(file);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
        Map<Architecture, Double> scores = new LinkedHashMap<>();
        for (Trial trial : trials) {
            double value = trial.metricOrNaN(metric);
            if (Double.isFinite(value)) {
                scores.put(trial.architecture(), value);
            }
        }
        return scores;
    }

    private JsonObject toJson(RankCorrelation correlation, String other, List<Architecture> common, double[] x, double[] y) {
        JsonObject object = new JsonObject();
        object.addProperty("metric", metric);
        object.addProperty("metric_b", other);
        object.addProperty("n", correlation.n());
        object.addProperty("kendall_tau", correlation.kendallTau());
        object.addProperty("p_value", correlation.pValue());
        object.addProperty("spearman_rho", correlation.spearmanRho());
        JsonArray pairs = new JsonArray();
        for (int i = 0; i < common.size(); i++) {
            JsonObject pair = new JsonObject();
            pair.addProperty("architecture", common.get(i).canonical());
            pair.addProperty("a", x[i]);
            pair.addProperty("b", y[i]);
            pairs.add(pair);
        }
        object.add("pairs", pairs);
        return object;
    }
}
