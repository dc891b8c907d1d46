package dev.creamery.autoformer;

import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Dimension;
import dev.creamery.api.Metrics;
import dev.creamery.api.Progress;
import dev.creamery.api.SearchContext;
import dev.creamery.api.SearchResult;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.SearchStrategy;
import dev.creamery.api.Subspace;
import dev.creamery.api.Task;
import dev.creamery.api.Trial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Searching the search space (S3, Chen et al., NeurIPS 2021): a window over the candidates of each
 * dimension is moved across the space step by step, guided by the E-T error of its choices, then an
 * inner strategy searches the last window.
 *
 * <p>Each step is a phase of the search over the current window (the evaluator is prepared for it: a
 * one-shot evaluator refines its supernet, sampling from the window only). For every dimension whose
 * window holds more than one candidate, and every candidate {@code c} in it, members of the window
 * with that dimension fixed to {@code c} (every layer, for a per-layer dimension) are sampled and
 * evaluated: the choice's E-T error is {@code (E + T) / 2}, E the mean validation error of the
 * samples and T the mean error of the best {@code top} of them. A least-squares line of E-T error
 * against the candidates' positions in the dimension gives its trend: if the error falls towards one
 * end by at least {@code min-slope} per candidate step and the space has a candidate beyond the window
 * on that side, the window shifts one candidate that way; otherwise the window drops its worst choice
 * (the space shrinks). The official code releases no search; these rules are this project's reading
 * of the paper and are listed in docs/autoformer.md.
 */
public final class SpaceEvolution implements SearchStrategy {
    private static final int DRAWS_PER_SAMPLE = 50;

    private final SpaceEvolutionSettings settings;

    /** @param settings the settings */
    public SpaceEvolution(SpaceEvolutionSettings settings) {
        this.settings = settings;
    }

    @Override
    public void check(SearchSpace space, Task task) {
        settings.inner().check(space, task);
    }

    @Override
    public SearchResult search(SearchSpace space, SearchContext context) {
        Map<String, List<Object>> window = initialWindow(space);
        try (Progress.Tracker tracker = context.progress().start("space evolution", settings.steps(), "step")) {
            for (int step = 1; step <= settings.steps() && !context.budget().exhausted(); step++) {
                SearchSpace current = Subspace.of(space, window);
                SearchContext phase = context.phase("space-" + step, current);
                Map<String, List<Object>> next = new LinkedHashMap<>(window);
                for (Dimension dimension : current.dimensions()) {
                    if (dimension.candidates().size() > 1) {
                        next.put(dimension.name(), move(space, window, dimension, phase, step));
                    }
                }
                window = next;
                tracker.advance(1, "space " + window);
            }
        }
        SearchSpace last = Subspace.of(space, window);
        context.progress().note("space-evolution: searching the final space " + last.dimensions());
        return settings.inner().search(last, context.phase("final", last));
    }

    /** Each dimension's window: {@code window} neighbouring candidates around the middle of its list. */
    private Map<String, List<Object>> initialWindow(SearchSpace space) {
        Map<String, List<Object>> window = new LinkedHashMap<>();
        for (Dimension dimension : space.dimensions()) {
            List<Object> all = dimension.candidates();
            int width = Math.min(settings.window(), all.size());
            int start = (all.size() - width) / 2;
            window.put(dimension.name(), List.copyOf(all.subList(start, start + width)));
        }
        return window;
    }

    /** Scores the choices of one dimension and returns its next window. */
    private List<Object> move(SearchSpace space, Map<String, List<Object>> window, Dimension dimension, SearchContext phase, int step) {
        String name = dimension.name();
        List<Object> universe = space.dimensions().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow().candidates();
        List<Object> choices = dimension.candidates();
        double[] positions = new double[choices.size()];
        double[] errors = new double[choices.size()];
        for (int i = 0; i < choices.size(); i++) {
            positions[i] = universe.indexOf(choices.get(i));
            errors[i] = etError(fixed(space, window, name, choices.get(i)), phase);
        }
        double slope = slope(positions, errors);
        List<Object> next = next(space, window, name, universe, choices, errors, slope, phase);
        phase.progress().note(String.format(Locale.ROOT, "space-%d %s: E-T error %s, slope %+.4f per step -> %s", step, name,
                describe(choices, errors), slope, next));
        return next;
    }

    /**
     * Drops the choices no member inside the size limits could be evaluated for; else shifts towards
     * falling error when the space has a feasible candidate on that side; else drops the worst choice.
     */
    private List<Object> next(SearchSpace space, Map<String, List<Object>> window, String name, List<Object> universe,
            List<Object> choices, double[] errors, double slope, SearchContext phase) {
        List<Object> known = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            if (!Double.isNaN(errors[i])) {
                known.add(choices.get(i));
            }
        }
        if (known.size() < choices.size()) {
            return List.copyOf(known.isEmpty() ? choices : known);
        }
        int low = universe.indexOf(choices.get(0));
        int high = universe.indexOf(choices.get(choices.size() - 1));
        List<Object> next = new ArrayList<>(choices);
        if (slope <= -settings.minSlope() && slope < 0 && high + 1 < universe.size()
                && feasible(fixed(space, window, name, universe.get(high + 1)), phase)) {
            next.remove(0);
            next.add(universe.get(high + 1));
        } else if (slope >= settings.minSlope() && slope > 0 && low > 0 && feasible(fixed(space, window, name, universe.get(low - 1)), phase)) {
            next.remove(next.size() - 1);
            next.add(0, universe.get(low - 1));
        } else {
            int worst = 0;
            for (int i = 1; i < errors.length; i++) {
                if (errors[i] > errors[worst]) {
                    worst = i;
                }
            }
            next.remove(worst);
        }
        return List.copyOf(next);
    }

    /** The window with one dimension fixed to one candidate (for a per-layer dimension, in every layer). */
    private static SearchSpace fixed(SearchSpace space, Map<String, List<Object>> window, String name, Object candidate) {
        Map<String, List<Object>> narrowed = new LinkedHashMap<>(window);
        narrowed.put(name, List.of(candidate));
        return Subspace.of(space, narrowed);
    }

    /** Whether the size limits can admit a member, judged by the smallest and largest (candidates run small to large). */
    private boolean feasible(SearchSpace space, SearchContext context) {
        Complexity smallest = context.complexity(space.smallest());
        Complexity largest = context.complexity(space.largest());
        return settings.constraints().params().overlaps(smallest.params(), largest.params())
                && settings.constraints().flops().overlaps(smallest.flops(), largest.flops());
    }

    /**
     * @param choice the window with one dimension fixed to one choice
     * @param phase evaluates members
     * @return {@code (E + T) / 2} over up to {@code samples} distinct members inside the size limits
     *     (NaN if none could be evaluated)
     */
    private double etError(SearchSpace choice, SearchContext phase) {
        Random random = phase.random();
        Set<Architecture> drawn = new HashSet<>();
        List<Double> errors = new ArrayList<>();
        for (int draw = 0; draw < DRAWS_PER_SAMPLE * settings.samples() && drawn.size() < settings.samples()
                && !phase.budget().exhausted(); draw++) {
            Architecture member = choice.sample(random);
            if (!settings.constraints().admits(phase.complexity(member)) || !drawn.add(member)) {
                continue;
            }
            Trial trial = phase.evaluate(member);
            if (trial.ok()) {
                errors.add(1 - trial.metricOrNaN(Metrics.ACCURACY));
            }
        }
        if (errors.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = errors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double expected = Arrays.stream(sorted).average().orElseThrow();
        double topTier = Arrays.stream(sorted, 0, Math.min(settings.top(), sorted.length)).average().orElseThrow();
        return (expected + topTier) / 2;
    }

    /** Least-squares slope of y against x over the finite points (0 with fewer than two). */
    static double slope(double[] x, double[] y) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(y[i])) {
                n++;
                sx += x[i];
                sy += y[i];
                sxx += x[i] * x[i];
                sxy += x[i] * y[i];
            }
        }
        double denominator = n * sxx - sx * sx;
        return n < 2 || denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
    }

    private static String describe(List<Object> choices, double[] errors) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < choices.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(choices.get(i)).append(String.format(Locale.ROOT, ": %.4f", errors[i]));
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return "space-evolution " + settings;
    }
}
