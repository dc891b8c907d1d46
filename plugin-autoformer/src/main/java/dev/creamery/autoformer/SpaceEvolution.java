package dev.creamery.autoformer;

import dev.creamery.api.Architecture;
import dev.creamery.api.BudgetExhaustedException;
import dev.creamery.api.Complexity;
import dev.creamery.api.Constraints;
import dev.creamery.api.Dimension;
import dev.creamery.api.Metrics;
import dev.creamery.api.Objective;
import dev.creamery.api.Progress;
import dev.creamery.api.SearchContext;
import dev.creamery.api.SearchResult;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.SearchStrategy;
import dev.creamery.api.Subspace;
import dev.creamery.api.Task;
import dev.creamery.api.Trial;
import dev.creamery.api.UnsatisfiableConstraintsException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * on that side, the dimension proposes to shift one candidate that way; otherwise, while its window
 * is wider than {@code min-window}, to drop its worst choice. The proposals are then applied to the
 * window together, the steepest trend first, each only if the joint window it leaves still has a
 * member inside the size limits (and the inner strategy can search it); a dimension whose proposal
 * would leave none keeps its window. Every window is therefore feasible, from the first (checked
 * before any training) to the one the inner strategy searches. The official code releases no search;
 * these rules are this project's reading of the paper and are listed in docs/autoformer.md.
 */
public final class SpaceEvolution implements SearchStrategy {
    private static final int DRAWS_PER_SAMPLE = 50;
    /** Members drawn to find one inside the limits when neither end of a window is. */
    private static final int FEASIBILITY_DRAWS = 10_000;
    /** Members drawn to tell what share of a window is inside the limits. */
    private static final int SHARE_DRAWS = 2_000;
    /** The seed of those draws: the same answer for the same window in every run. */
    private static final long DRAW_SEED = 0x53335L;
    private static final List<Objective> PARETO = List.of(Objective.ACCURACY, Objective.minimize(Metrics.PARAMS));

    private final SpaceEvolutionSettings settings;

    /** @param settings the settings */
    public SpaceEvolution(SpaceEvolutionSettings settings) {
        this.settings = settings;
    }

    /**
     * The first window must hold a member inside the size limits, and the inner strategy must be able
     * to search it; later windows keep that by construction.
     *
     * @throws UnsatisfiableConstraintsException naming the limits and the span of the first window
     */
    @Override
    public void check(SearchSpace space, Task task) {
        SearchSpace first = Subspace.of(space, initialWindow(space));
        outside(first, task).ifPresent(why -> {
            throw new UnsatisfiableConstraintsException("no member of space-evolution's first window (" + settings.window()
                    + " candidates of each dimension around the middle: " + first.dimensions() + ") meets the size limits: " + why
                    + "; widen strategy.constraints, or change the space's candidates or strategy.window");
        });
        settings.inner().check(first, task);
    }

    @Override
    public SearchResult search(SearchSpace space, SearchContext context) {
        check(space, context.task());
        Map<String, List<Object>> window = initialWindow(space);
        Map<String, SearchContext> phases = new LinkedHashMap<>();
        try (Progress.Tracker tracker = context.progress().start("space evolution", settings.steps(), "step")) {
            for (int step = 1; step <= settings.steps() && !context.budget().exhausted(); step++) {
                SearchSpace current = Subspace.of(space, window);
                SearchContext phase = context.phase("space-" + step, current);
                phases.put("space-" + step, phase);
                phase.progress().note("space-evolution: space-" + step + " is " + size(current, context.task()) + ": "
                        + current.dimensions());
                List<Proposal> proposals = new ArrayList<>();
                for (Dimension dimension : current.dimensions()) {
                    if (dimension.candidates().size() > 1) {
                        proposals.add(propose(space, window, dimension, phase, step));
                    }
                }
                if (phase.budget().exhausted()) {
                    phase.progress().note("space-evolution: the budget ran out during step " + step + "; the space stays as it was");
                    break;
                }
                window = apply(space, window, proposals, context.task(), phase.progress(), step);
                tracker.advance(1, "space " + window);
            }
        } catch (BudgetExhaustedException e) {
            context.progress().note("space-evolution: " + e.getMessage() + " during the steps; the space stays as it was");
        }
        SearchSpace last = Subspace.of(space, window);
        SearchContext phase = context.phase("final", last);
        phases.put("final", phase);
        phase.progress().note("space-evolution: searching the final space, " + size(last, context.task()) + ": " + last.dimensions());
        String stopped = null;
        SearchResult found;
        try {
            found = settings.inner().search(last, phase);
        } catch (UnsatisfiableConstraintsException | BudgetExhaustedException e) {
            stopped = e.getMessage();
            found = phase.result();
        }
        if (found.best().isPresent()) {
            if (stopped != null) {
                phase.progress().note("space-evolution: the final search stopped early (" + stopped + "); its best so far stands");
            }
            return found;
        }
        return bestSoFar(phases, stopped == null ? "no trial of the final space succeeded" : stopped, context.progress());
    }

    /**
     * The best trial of the whole search inside the size limits, when the final search has none: the
     * steps' trials are not thrown away.
     */
    private SearchResult bestSoFar(Map<String, SearchContext> phases, String why, Progress progress) {
        List<Trial> trials = new ArrayList<>();
        phases.values().forEach(phase -> trials.addAll(phase.trials()));
        trials.removeIf(t -> !settings.constraints().admits(t.complexity()));
        trials.sort(Comparator.comparingInt(Trial::number));
        SearchResult all = SearchResult.of(trials, Objective.ACCURACY, PARETO);
        String outcome = all.best().map(best -> {
            String from = phases.entrySet().stream().filter(e -> e.getValue().trials().contains(best)).map(Map.Entry::getKey)
                    .findFirst().orElse("?");
            return String.format(Locale.ROOT, "finishing with the best of the %d trials inside the limits: trial %d of %s (acc %.4f, %s params)",
                    trials.size(), best.number(), from, best.metricOrNaN(Metrics.ACCURACY), Complexity.human(best.complexity().params()));
        }).orElse("and no trial inside the limits succeeded before it");
        progress.note("space-evolution: the final search found no member to rank (" + why + "); " + outcome);
        return all;
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

    /**
     * What one step would make of one dimension's window, and why.
     *
     * @param dimension the dimension's name
     * @param choices its proposed candidates
     * @param slope the trend of its E-T error (NaN-free)
     * @param dropsUnknown whether the proposal only drops choices no member inside the limits could be evaluated for
     * @param reason the rule that made it
     */
    private record Proposal(String dimension, List<Object> choices, double slope, boolean dropsUnknown, String reason) {
        /** Dropping what cannot be evaluated goes first, then the steepest trend. */
        static final Comparator<Proposal> ORDER = Comparator.comparing((Proposal p) -> !p.dropsUnknown())
                .thenComparing(p -> -Math.abs(p.slope()));
    }

    /** Scores the choices of one dimension and proposes its next window. */
    private Proposal propose(SearchSpace space, Map<String, List<Object>> window, Dimension dimension, SearchContext phase, int step) {
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
        Proposal proposal = next(space, window, name, universe, choices, errors, slope, phase.task());
        phase.progress().note(String.format(Locale.ROOT, "space-%d %s: E-T error %s, slope %+.4f per step -> %s (%s)", step, name,
                describe(choices, errors), slope, proposal.choices(), proposal.reason()));
        return proposal;
    }

    /**
     * Drops the choices no member inside the size limits could be evaluated for; else shifts towards
     * falling error when the space has a candidate on that side with members inside the limits; else,
     * while the window is wider than {@code min-window}, drops the worst choice; else keeps it.
     */
    private Proposal next(SearchSpace space, Map<String, List<Object>> window, String name, List<Object> universe, List<Object> choices,
            double[] errors, double slope, Task task) {
        List<Object> known = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            if (!Double.isNaN(errors[i])) {
                known.add(choices.get(i));
            }
        }
        if (known.isEmpty()) {
            return new Proposal(name, choices, 0, false, "keep: no choice could be evaluated");
        }
        if (known.size() < choices.size()) {
            return new Proposal(name, List.copyOf(known), slope, true, "drop the choices without members inside the limits");
        }
        int low = universe.indexOf(choices.get(0));
        int high = universe.indexOf(choices.get(choices.size() - 1));
        List<Object> next = new ArrayList<>(choices);
        if (slope <= -settings.minSlope() && slope < 0 && high + 1 < universe.size()
                && outside(fixed(space, window, name, universe.get(high + 1)), task).isEmpty()) {
            next.remove(0);
            next.add(universe.get(high + 1));
            return new Proposal(name, List.copyOf(next), slope, false, "shift up");
        }
        if (slope >= settings.minSlope() && slope > 0 && low > 0 && outside(fixed(space, window, name, universe.get(low - 1)), task).isEmpty()) {
            next.remove(next.size() - 1);
            next.add(0, universe.get(low - 1));
            return new Proposal(name, List.copyOf(next), slope, false, "shift down");
        }
        if (choices.size() <= settings.minWindow()) {
            return new Proposal(name, choices, slope, false, "keep: no shift, and the window is at min-window");
        }
        int worst = 0;
        for (int i = 1; i < errors.length; i++) {
            if (errors[i] > errors[worst]) {
                worst = i;
            }
        }
        next.remove(worst);
        return new Proposal(name, List.copyOf(next), slope, false, "shrink: drop the worst");
    }

    /**
     * Applies the step's proposals to the window jointly, in {@link Proposal#ORDER}: each is taken only
     * if the window with it and the proposals taken before still has a member inside the size limits
     * and the inner strategy can search it; otherwise its dimension keeps its window.
     */
    private Map<String, List<Object>> apply(SearchSpace space, Map<String, List<Object>> window, List<Proposal> proposals, Task task,
            Progress progress, int step) {
        Map<String, List<Object>> next = new LinkedHashMap<>(window);
        for (Proposal proposal : proposals.stream().sorted(Proposal.ORDER).toList()) {
            if (proposal.choices().equals(window.get(proposal.dimension()))) {
                continue;
            }
            Map<String, List<Object>> tried = new LinkedHashMap<>(next);
            tried.put(proposal.dimension(), proposal.choices());
            Optional<String> problem = unsearchable(Subspace.of(space, tried), task);
            if (problem.isEmpty()) {
                next = tried;
            } else {
                progress.note("space-" + step + " " + proposal.dimension() + ": keeps " + window.get(proposal.dimension()) + ", since "
                        + proposal.choices() + " with the other dimensions' new windows would leave nothing to search: " + problem.get());
            }
        }
        return next;
    }

    /** Why the inner strategy could not search a window (no member inside the size limits, or its own check), or empty. */
    private Optional<String> unsearchable(SearchSpace window, Task task) {
        Optional<String> outside = outside(window, task);
        if (outside.isPresent()) {
            return outside;
        }
        try {
            settings.inner().check(window, task);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Whether some member of a space is inside the size limits: one of its ends (candidates run small to
     * large, so the smallest member has the fewest parameters and FLOPs and the largest the most), else
     * a member drawn as the inner strategies draw them, within {@value #FEASIBILITY_DRAWS} draws.
     *
     * @return empty if there is one; else the limits and the span of the members
     */
    private Optional<String> outside(SearchSpace space, Task task) {
        Constraints limits = settings.constraints();
        Complexity smallest = space.complexity(space.smallest(), task);
        Complexity largest = space.complexity(space.largest(), task);
        if (limits.admits(smallest) || limits.admits(largest)) {
            return Optional.empty();
        }
        boolean spans = limits.params().overlaps(smallest.params(), largest.params())
                && limits.flops().overlaps(smallest.flops(), largest.flops());
        if (spans) {
            Random random = new Random(DRAW_SEED);
            for (int draw = 0; draw < FEASIBILITY_DRAWS; draw++) {
                if (limits.admits(space.complexity(space.sample(random), task))) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of("params " + limits.params() + " and FLOPs " + limits.flops() + ", but its members span "
                + Complexity.human(smallest.params()) + " to " + Complexity.human(largest.params()) + " params and "
                + Complexity.human(smallest.flops()) + " to " + Complexity.human(largest.flops()) + " FLOPs for this task"
                + (spans ? " and none of " + FEASIBILITY_DRAWS + " sampled members is inside" : ""));
    }

    /** How many members a space has and what share of them is inside the size limits (estimated by sampling). */
    private String size(SearchSpace space, Task task) {
        Random random = new Random(DRAW_SEED);
        int inside = 0;
        for (int draw = 0; draw < SHARE_DRAWS; draw++) {
            if (settings.constraints().admits(space.complexity(space.sample(random), task))) {
                inside++;
            }
        }
        BigInteger members = space.size();
        String count = members.bitLength() < 40 ? String.format(Locale.ROOT, "%,d", members)
                : String.format(Locale.ROOT, "%.2g", members.doubleValue());
        return String.format(Locale.ROOT, "%s members, %.0f%% of them inside the size limits", count, 100.0 * inside / SHARE_DRAWS);
    }

    /** The window with one dimension fixed to one candidate (for a per-layer dimension, in every layer). */
    private static SearchSpace fixed(SearchSpace space, Map<String, List<Object>> window, String name, Object candidate) {
        Map<String, List<Object>> narrowed = new LinkedHashMap<>(window);
        narrowed.put(name, List.of(candidate));
        return Subspace.of(space, narrowed);
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
