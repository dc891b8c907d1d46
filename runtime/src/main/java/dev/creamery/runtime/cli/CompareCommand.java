package dev.creamery.runtime.cli;

import com.google.gson.GsonBuilder;
import dev.creamery.api.Trial;
import dev.creamery.runtime.io.Journal;
import dev.creamery.runtime.report.RankCorrelation;
import dev.creamery.runtime.report.RunComparison;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
        RunComparison comparison;
        try {
            comparison = RunComparison.of(trials(first), metric, trials(second), other);
        } catch (IllegalArgumentException e) {
            throw new UsageException(first + " and " + second + " " + e.getMessage());
        }
        PrintWriter out = root.spec.commandLine().getOut();
        if (json) {
            out.println(new GsonBuilder().setPrettyPrinting().create().toJson(comparison.toJson()));
            return Creamery.OK;
        }
        out.printf("%-10s %-10s %s%n", "A", "B", "ARCHITECTURE");
        for (int i = 0; i < comparison.common().size(); i++) {
            out.printf(Locale.ROOT, "%-10.4f %-10.4f %s%n", comparison.a()[i], comparison.b()[i], comparison.common().get(i).canonical());
        }
        RankCorrelation correlation = comparison.correlation();
        out.printf(Locale.ROOT, "%d architectures in common, %s: Kendall tau %.3f (p %.3g), Spearman rho %.3f%n", correlation.n(),
                comparison.metrics(), correlation.kendallTau(), correlation.pValue(), correlation.spearmanRho());
        return Creamery.OK;
    }

    private static List<Trial> trials(Path run) {
        Path file = Files.isDirectory(run) ? run.resolve("trials.jsonl") : run;
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + " does not exist; give a run folder (holding trials.jsonl) or a trials.jsonl file");
        }
        try {
            return Journal.read(file);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
