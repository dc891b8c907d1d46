package dev.creamery.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks and the matmul ceiling in one JMH run, then prints, per benchmark, images per
 * second, the achieved multiply-accumulate rate and its fraction of the ceiling measured in the same
 * run, as a Markdown table. Iterations are set per benchmark class.
 */
public final class BenchmarkReport {
    private BenchmarkReport() {}

    /**
     * @param args a JMH regular expression selecting the benchmarks (default: all; the ceiling always
     *     runs), then any parameter values to run instead of the declared ones, as {@code name=a,b}
     *     (e.g. {@code model=efficientvit-m0 batch=1 form=prepared,as-built}); blank arguments are ignored
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        String include = args.length > 0 && !args[0].isBlank() ? args[0] : ".*";
        ChainedOptionsBuilder builder = new OptionsBuilder()
                .include(include)
                .include(MatmulCeiling.class.getSimpleName())
                .forks(1)
                .jvmArgsAppend("-Dai.djl.offline=true", "-Xmx2g");
        for (int i = 1; i < args.length; i++) {
            for (String assignment : args[i].trim().split("\\s+")) {
                if (assignment.isEmpty()) {
                    continue;
                }
                int equals = assignment.indexOf('=');
                if (equals < 1) {
                    throw new IllegalArgumentException("parameters are name=value[,value...], got '" + assignment + "'");
                }
                builder.param(assignment.substring(0, equals), assignment.substring(equals + 1).split(","));
            }
        }
        Options options = builder.build();
        Collection<RunResult> results = new Runner(options).run();
        double ceiling = results.stream().filter(r -> r.getParams().getBenchmark().endsWith("MatmulCeiling.matmul"))
                .mapToDouble(r -> rate(r, "macs")).findFirst().orElseThrow();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "matmul ceiling (1024x1024 float32): %.1f GFLOP/s (multiply-accumulates)", ceiling / 1e9));
        lines.add("");
        lines.add("| benchmark | parameters | images/s | GFLOP/s (MAC) | of ceiling |");
        lines.add("| --- | --- | ---: | ---: | ---: |");
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            if (benchmark.endsWith("MatmulCeiling.matmul")) {
                continue;
            }
            List<String> params = new ArrayList<>();
            for (String key : result.getParams().getParamsKeys()) {
                params.add(key + "=" + result.getParams().getParam(key));
            }
            double macs = rate(result, "macs");
            lines.add(String.format(Locale.ROOT, "| %s | %s | %.1f | %.2f | %.1f%% |", benchmark.substring(benchmark.lastIndexOf('.',
                    benchmark.lastIndexOf('.') - 1) + 1), String.join(", ", params), rate(result, "images"), macs / 1e9,
                    100 * macs / ceiling));
        }
        lines.forEach(System.out::println);
    }

    private static double rate(RunResult result, String counter) {
        Result<?> secondary = result.getSecondaryResults().get(counter);
        if (secondary == null) {
            throw new IllegalStateException(result.getParams().getBenchmark() + " reported no '" + counter + "' counter");
        }
        return secondary.getScore();
    }
}
