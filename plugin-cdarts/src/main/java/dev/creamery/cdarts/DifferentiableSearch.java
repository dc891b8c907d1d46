package dev.creamery.cdarts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.creamery.api.Architecture;
import dev.creamery.api.Batch;
import dev.creamery.api.Complexity;
import dev.creamery.api.DifferentiableSpace;
import dev.creamery.api.EvaluationContext;
import dev.creamery.api.ImageSplit;
import dev.creamery.api.MixedNetwork;
import dev.creamery.api.Progress;
import dev.creamery.api.SearchContext;
import dev.creamery.api.SearchResult;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.SearchStrategy;
import dev.creamery.api.Split;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.api.TrialFailedException;
import dev.creamery.api.nn.Autograd;
import dev.creamery.api.nn.Losses;
import dev.creamery.api.nn.Scalars;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * Differentiable architecture search on a {@link DifferentiableSpace}, in two settings of one loop.
 *
 * <p>{@code darts} is first-order DARTS (Liu et al., ICLR 2019): the training split is halved; each
 * step updates the architecture parameters with Adam on a batch of the second half (the relaxed
 * network's cross-entropy), then the weights with SGD on a batch of the first.
 *
 * <p>{@code cdarts} is CDARTS's cyclic search (Yu et al., TPAMI 2022; the official
 * {@code search.py} with one genotype for all layers): after warm-up epochs that train the search
 * network's weights alone, each cycle builds an evaluation network (deeper, discrete) from the
 * genotype the architecture parameters currently give, starts it from the weights its predecessors
 * left ({@link EvaluationPool}), trains it alone for a few epochs, and then trains both jointly: on
 * the second half, the two cross-entropies plus the introspective distillation between the two
 * networks' ensembles (their classifiers and two distillation heads on inner layers, weighted 1/3
 * each, concatenated) update the evaluation network and the architecture parameters; on the first,
 * the search network's cross-entropy updates its weights. The distillation's gradient reaches both
 * networks, as the official loss does not detach either side. Learning rates are constant, as the
 * official schedulers are never stepped.
 *
 * <p>Either way the found genotype is handed to the job's evaluator and the search network never
 * leaves the strategy. A checkpoint after every epoch (weights, architecture parameters, optimizer
 * state, the evaluation network and its pool) lets a killed search resume at the next epoch.
 */
public final class DifferentiableSearch implements SearchStrategy {
    /** The checkpoint file, in the strategy's folder. */
    static final String STATE = "search-state.ndlist";
    /** Parameter-free operations the regularisation penalises (the official {@code op_opt}). */
    private static final List<String> PENALISED = List.of("max_pool_3x3", "avg_pool_3x3", "skip_connect");
    /** The official penalty sums its term once per layer of the three, all sharing one table here. */
    private static final int PENALTY_LAYERS = 3;
    private static final double BETA1 = 0.5;
    private static final double BETA2 = 0.999;

    private final Plan plan;

    private DifferentiableSearch(Plan plan) {
        this.plan = plan;
    }

    /**
     * @param settings the {@code darts} settings
     * @return first-order DARTS: no warm-up, one cycle, no evaluation network
     */
    public static DifferentiableSearch darts(DartsSearchSettings settings) {
        return new DifferentiableSearch(new Plan("darts", 0, 1, settings.epochs(), settings.batchSize(), settings.maxStepsPerEpoch(),
                settings.weights(), settings.alpha(), null, null, null));
    }

    /**
     * @param settings the {@code cdarts} settings
     * @return CDARTS's cyclic search
     */
    public static DifferentiableSearch cdarts(CdartsSearchSettings settings) {
        return new DifferentiableSearch(new Plan("cdarts", settings.warmupEpochs(), settings.cycles(), settings.cycleEpochs(),
                settings.batchSize(), settings.maxStepsPerEpoch(), settings.weights(), settings.alpha(), settings.evaluation(),
                settings.distillation(), settings.regularization()));
    }

    /** The schedule: {@code evaluation == null} turns the cycle off. */
    private record Plan(String name, int warmupEpochs, int cycles, int cycleEpochs, int batchSize, int maxSteps,
            SearchSettings.Weights weights, SearchSettings.Alpha alpha, CdartsSearchSettings.Evaluation evaluation,
            CdartsSearchSettings.Distillation distillation, CdartsSearchSettings.Regularization regularization) {
        boolean cyclic() {
            return evaluation != null;
        }

        /** The epochs in order: warm-up, then per cycle the evaluation network's warm-up and the joint epochs. */
        List<Unit> units() {
            List<Unit> units = new ArrayList<>();
            for (int e = 0; e < warmupEpochs; e++) {
                units.add(new Unit(Kind.WARMUP, -1, e, warmupEpochs, false));
            }
            int alone = cyclic() ? evaluation.warmupEpochs() : 0;
            for (int c = 0; c < cycles; c++) {
                for (int e = 0; e < alone; e++) {
                    units.add(new Unit(Kind.EVALUATION_WARMUP, c, e, alone, e == 0));
                }
                for (int e = 0; e < cycleEpochs; e++) {
                    units.add(new Unit(Kind.SEARCH, c, e, cycleEpochs, alone == 0 && e == 0));
                }
            }
            return units;
        }
    }

    private enum Kind { WARMUP, EVALUATION_WARMUP, SEARCH }

    /**
     * One epoch of the plan: its kind, its cycle (-1 in the warm-up), its place among its kind in that
     * cycle, and whether it is the cycle's first.
     */
    private record Unit(Kind kind, int cycle, int epoch, int epochs, boolean opensCycle) {}

    @Override
    public void check(SearchSpace space, Task task) {
        if (!(space instanceof DifferentiableSpace)) {
            throw new IllegalArgumentException("the " + plan.name() + " strategy trains a relaxed network with architecture "
                    + "parameters; the space offers none: use a differentiable space, e.g. space { type = darts }");
        }
        if (plan.cyclic()) {
            if (!(space instanceof DartsSpace)) {
                throw new IllegalArgumentException("the cdarts strategy trains CDARTS's evaluation network beside the search network, "
                        + "which the darts space builds: use space { type = darts }");
            }
            long side = (Math.min(task.height(), task.width()) + 1) / 2;
            side = (side + 1) / 2;
            if (side < 3) {
                throw new IllegalArgumentException("the cdarts strategy's distillation heads read the second layer's output, "
                        + side + "x" + side + " for " + task + "; they need at least 3x3 (images of at least 10x10)");
            }
        }
    }

    @Override
    public SearchResult search(SearchSpace space, SearchContext context) {
        check(space, context.task());
        EvaluationContext lab = context.trainingContext();
        Architecture found;
        try (NDManager manager = lab.manager().newSubManager()) {
            found = new Run((DifferentiableSpace) space, lab, manager).execute();
        }
        context.progress().note(plan.name() + " search done; evaluating the genotype it found: " + describe(space, found));
        context.evaluate(found);
        return context.result();
    }

    private static String describe(SearchSpace space, Architecture architecture) {
        return space instanceof DartsSpace ? Genotype.of(architecture).toString() : space.format(architecture);
    }

    /** One search: its networks, optimizers and data, and where it stands in the plan. */
    final class Run {
        private final DifferentiableSpace space;
        private final EvaluationContext lab;
        private final NDManager manager;
        private final Task task;
        private final Progress progress;
        private final Path stateFile;
        private final MixedNetwork mixed;
        private final List<DistillHead> heads = new ArrayList<>();
        private final EvaluationPool pool;
        private ImageSplit train;
        private int[] weightHalf;
        private int[] alphaHalf;
        private Updates weightUpdates;
        private Updates alphaUpdates;
        private Updates evaluationUpdates;
        /** Holds what one cycle makes (its evaluation network, its optimizers' state) and is closed when the next one opens. */
        private NDManager cycleManager;
        private CdartsNet evaluation;
        private Genotype evaluationGenotype;
        /** Every learnable tensor of the networks the search holds now, clipped and zeroed together each step. */
        private List<Parameter> everything;
        private int searchEpochsDone;
        private long steps;

        /**
         * @param space the space, relaxed here
         * @param lab data, random sources, the folder of the checkpoint
         * @param manager holds the search's arrays
         */
        Run(DifferentiableSpace space, EvaluationContext lab, NDManager manager) {
            this.space = space;
            this.lab = lab;
            this.manager = manager;
            this.task = lab.task();
            this.progress = lab.progress();
            this.stateFile = lab.directory().resolve(STATE);
            lab.seedEngine(plan.name() + "-search-network");
            mixed = space.relax(task);
            mixed.block().initialize(manager, DataType.FLOAT32, task.inputShape(1));
            if (plan.cyclic()) {
                lab.seedEngine(plan.name() + "-distillation-heads");
                long side = (task.height() + 1) / 2;
                int channels = ((DartsSpace) space).searchChannels() * 2 * SearchNetwork.NODES;
                for (int i = 0; i < 2; i++) {
                    DistillHead head = new DistillHead(channels, side, task.classes());
                    head.initialize(manager, DataType.FLOAT32, new Shape(1, channels, side, side));
                    heads.add(head);
                    channels *= 2;
                    side = (side + 1) / 2;
                }
                pool = new EvaluationPool(((DartsSpace) space).evaluationLayout(), manager);
            } else {
                pool = null;
            }
            gather();
        }

        Architecture execute() {
            List<Unit> units = plan.units();
            int start = 0;
            if (Files.exists(stateFile)) {
                start = resume(units);
            }
            if (start == 0 && !units.isEmpty() && units.get(0).kind() == Kind.WARMUP) {
                weightUpdates = Updates.sgd("weights", mixed.weights(), plan.weights().momentum(), plan.weights().weightDecay(), manager);
            }
            train = lab.data().split(Split.TRAIN);
            splitHalves();
            for (int u = start; u < units.size(); u++) {
                Unit unit = units.get(u);
                if (unit.opensCycle()) {
                    openCycle(unit.cycle(), genotypeOrNull(mixed.derive()));
                }
                String summary = runEpoch(unit, u);
                save(u + 1);
                // Reported once saved: an epoch the user sees done is one a resumed run does not redo.
                progress.note(summary);
                if (unit.kind() == Kind.SEARCH) {
                    warnOnCollapse(activity(unit));
                }
            }
            if (cycleManager != null) {
                cycleManager.close();
            }
            return mixed.derive();
        }

        /** The official split: the first half of the (shuffled) training split trains weights, the second architecture and evaluation network. */
        private void splitHalves() {
            int n = train.size();
            int[] order = shuffled(n, lab.random(plan.name() + "-halves"));
            weightHalf = Arrays.copyOfRange(order, 0, n / 2);
            alphaHalf = Arrays.copyOfRange(order, n / 2, n);
            if (alphaHalf.length < plan.batchSize() || weightHalf.length < plan.batchSize()) {
                throw new IllegalArgumentException("the " + plan.name() + " strategy halves the training split (" + n + " images) and "
                        + "draws batches of " + plan.batchSize() + " from each half; use a smaller strategy.batch-size");
            }
        }

        private Genotype genotypeOrNull(Architecture architecture) {
            return space instanceof DartsSpace ? Genotype.of(architecture) : null;
        }

        /** New optimizers (the official code builds them anew every cycle) and, with the cycle on, a new evaluation network. */
        void openCycle(int cycle, Genotype genotype) {
            if (cycleManager != null) {
                cycleManager.close();
            }
            cycleManager = manager.newSubManager();
            weightUpdates = Updates.sgd("weights", mixed.weights(), plan.weights().momentum(), plan.weights().weightDecay(), cycleManager);
            alphaUpdates = Updates.adam("alpha", mixed.architectureParameters(), BETA1, BETA2, plan.alpha().weightDecay(), cycleManager);
            if (!plan.cyclic()) {
                return;
            }
            evaluationGenotype = genotype;
            lab.seedEngine(plan.name() + "-evaluation-" + cycle);
            evaluation = ((DartsSpace) space).searchEvaluationNetwork(genotype, task);
            evaluation.initialize(cycleManager, DataType.FLOAT32, task.inputShape(1));
            pool.restore(evaluation, genotype);
            gather();
            List<Parameter> trained = new ArrayList<>(learnable(evaluation));
            heads.forEach(h -> trained.addAll(learnable(h)));
            evaluationUpdates = Updates.sgd("evaluation", trained, plan.weights().momentum(), plan.weights().weightDecay(), cycleManager);
            progress.note(String.format(Locale.ROOT, "cycle %d/%d: evaluation network of %d cells, %s params, from %s", cycle + 1,
                    plan.cycles(), ((DartsSpace) space).evaluationLayout().total(), Complexity.human(evaluation.params()),
                    genotype));
        }

        /** @return the epoch's summary */
        private String runEpoch(Unit unit, int index) {
            Random random = lab.random(plan.name() + "-epoch-" + index);
            int[] weightOrder = permute(weightHalf, random);
            int[] alphaOrder = permute(alphaHalf, random);
            int batches = Math.min(weightOrder.length, alphaOrder.length) / plan.batchSize();
            if (plan.maxSteps() > 0) {
                batches = Math.min(batches, plan.maxSteps());
            }
            double lr = plan.weights().at(searchEpochsDone, plan.cycles() * plan.cycleEpochs());
            Meter meter = new Meter();
            try (Progress.Tracker tracker = progress.start(activity(unit), batches, "step")) {
                for (int b = 0; b < batches; b++) {
                    try (NDManager scope = manager.newSubManager()) {
                        Batch weightBatch = train.batch(scope, slice(weightOrder, b), seeds(random));
                        Batch alphaBatch = train.batch(scope, slice(alphaOrder, b), seeds(random));
                        switch (unit.kind()) {
                            case WARMUP -> weightStep(scope, weightBatch, lr, meter);
                            case EVALUATION_WARMUP -> evaluationStep(scope, alphaBatch, meter);
                            case SEARCH -> {
                                architectureStep(scope, alphaBatch, meter);
                                weightStep(scope, weightBatch, lr, null);
                            }
                        }
                    }
                    steps++;
                    tracker.advance(1, meter.status());
                }
            }
            if (unit.kind() == Kind.SEARCH) {
                searchEpochsDone++;
                Architecture derived = mixed.derive();
                if (plan.cyclic()) {
                    pool.store(evaluation, evaluationGenotype);
                }
                return activity(unit) + ": " + meter.status() + "; genotype " + describe(space, derived);
            }
            return activity(unit) + ": " + meter.status();
        }

        private String activity(Unit unit) {
            return switch (unit.kind()) {
                case WARMUP -> String.format(Locale.ROOT, "%s warm-up epoch %d/%d", plan.name(), unit.epoch() + 1, unit.epochs());
                case EVALUATION_WARMUP -> String.format(Locale.ROOT, "%s cycle %d/%d evaluation warm-up epoch %d/%d", plan.name(),
                        unit.cycle() + 1, plan.cycles(), unit.epoch() + 1, unit.epochs());
                case SEARCH -> plan.cyclic()
                        ? String.format(Locale.ROOT, "%s cycle %d/%d epoch %d/%d", plan.name(), unit.cycle() + 1, plan.cycles(),
                                unit.epoch() + 1, unit.epochs())
                        : String.format(Locale.ROOT, "%s epoch %d/%d", plan.name(), unit.epoch() + 1, unit.epochs());
            };
        }

        /** The search network's cross-entropy on a batch of the first half updates its weights. */
        void weightStep(NDManager scope, Batch batch, double lr, Meter meter) {
            crossEntropyStep(mixed.block(), weightUpdates, lr, scope, batch, meter, "search");
        }

        /** A new evaluation network trains alone on a batch of the second half. */
        void evaluationStep(NDManager scope, Batch batch, Meter meter) {
            crossEntropyStep(evaluation, evaluationUpdates, plan.evaluation().lr(), scope, batch, meter, "evaluation");
        }

        private void crossEntropyStep(Block network, Updates updates, double lr, NDManager scope, Batch batch, Meter meter, String name) {
            NDArray logits;
            NDArray loss;
            try (GradientCollector collector = Autograd.record()) {
                logits = forward(network, scope, batch.images());
                loss = Losses.crossEntropy(logits, batch.labels(), 0);
                collector.backward(loss);
            }
            finish(scope, loss);
            updates.step(lr, scope);
            Updates.zeroGradients(everything, scope);
            if (meter != null) {
                meter.add(name, logits, batch, loss);
            }
        }

        /**
         * On a batch of the second half: DARTS's cross-entropy of the search network, and with the
         * cycle on the evaluation network's too plus the distillation between their ensembles and the
         * regularisation; the architecture parameters (and the evaluation network) take a step.
         */
        void architectureStep(NDManager scope, Batch batch, Meter meter) {
            NDArray loss;
            NDArray searchLogits;
            NDArray evaluationLogits = null;
            try (GradientCollector collector = Autograd.record()) {
                ParameterStore store = new ParameterStore(scope, false);
                if (plan.cyclic()) {
                    List<NDArray> search = ((SearchNetwork) mixed).stages(store, batch.images(), true);
                    List<NDArray> evaluated = evaluation.stages(store, batch.images(), true);
                    searchLogits = search.get(search.size() - 1);
                    evaluationLogits = evaluated.get(evaluated.size() - 1);
                    double w = plan.distillation().weight();
                    NDArray classification = Scalars.times(Losses.crossEntropy(searchLogits, batch.labels(), 0)
                            .add(Losses.crossEntropy(evaluationLogits, batch.labels(), 0)), 1 / w);
                    NDArray distillation = Scalars.times(distillation(ensemble(store, search), ensemble(store, evaluated)), w);
                    loss = classification.add(distillation);
                    double penalty = plan.regularization().at(searchEpochsDone, plan.cycles() * plan.cycleEpochs());
                    if (penalty > 0) {
                        loss = loss.add(Scalars.times(penalty(store, scope), penalty * PENALTY_LAYERS));
                    }
                } else {
                    searchLogits = forward(mixed.block(), scope, batch.images());
                    loss = Losses.crossEntropy(searchLogits, batch.labels(), 0);
                }
                collector.backward(loss);
            }
            finish(scope, loss);
            if (plan.cyclic()) {
                evaluationUpdates.step(plan.evaluation().lr(), scope);
            }
            alphaUpdates.step(plan.alpha().lr(), scope);
            Updates.zeroGradients(everything, scope);
            if (meter != null) {
                meter.add("search", searchLogits, batch, loss);
                if (evaluationLogits != null) {
                    meter.add("evaluation", evaluationLogits, batch, null);
                }
            }
        }

        /** Clips every gradient to the global norm, or fails the search if the loss or a gradient is not finite. */
        private void finish(NDManager scope, NDArray loss) {
            double norm = Updates.clipNorm(everything, plan.weights().clipGradNorm(), scope);
            double value = loss.toType(DataType.FLOAT64, false).getDouble();
            if (!Double.isFinite(value) || !Double.isFinite(norm)) {
                throw new TrialFailedException(String.format(Locale.ROOT, "the %s search diverged at step %d (loss %s, gradient norm %s); "
                        + "lower strategy.weights.lr or strategy.alpha.lr", plan.name(), steps + 1, value, norm));
            }
        }

        /** The classifier's and the two heads' logits, weighted 1/3 each and stacked along the batch (the official concat ensemble). */
        private NDArray ensemble(ParameterStore store, List<NDArray> stages) {
            NDList parts = new NDList();
            for (int i = 0; i < heads.size(); i++) {
                parts.add(heads.get(i).apply(store, stages.get(i), true));
            }
            parts.add(stages.get(stages.size() - 1));
            NDArray stacked = NDArrays.concat(parts, 0);
            return Scalars.times(stacked, 1.0 / parts.size());
        }

        /** The official {@code Loss_interactive}: the search ensemble learns the evaluation ensemble, scaled by T squared. */
        private NDArray distillation(NDArray student, NDArray teacher) {
            double t = plan.distillation().temperature();
            NDArray loss = switch (plan.distillation().loss()) {
                case "kl" -> {
                    NDArray target = Scalars.times(teacher, 1 / t).logSoftmax(1);
                    // KLDivLoss's default reduction averages over every element, not per example.
                    yield target.exp().mul(target.sub(Scalars.times(student, 1 / t).logSoftmax(1))).mean();
                }
                case "cosine" -> {
                    NDArray dot = student.mul(teacher).sum(new int[] {1});
                    NDArray norms = student.norm(new int[] {1}).mul(teacher.norm(new int[] {1})).maximum(1e-6f);
                    yield dot.div(norms).mean().neg();
                }
                case "mse" -> student.sub(teacher).square().mean();
                case "smooth-l1" -> {
                    NDArray d = student.sub(teacher).abs();
                    yield NDArrays.where(d.lt(1), d.square().mul(0.5f), d.sub(0.5f)).mean();
                }
                default -> throw new IllegalStateException(plan.distillation().loss());
            };
            return Scalars.times(loss, t * t);
        }

        /** The L1 norm of the penalised operations' architecture parameters in both cells. */
        private NDArray penalty(ParameterStore store, NDManager scope) {
            NDArray sum = scope.zeros(new Shape());
            for (Parameter alpha : mixed.architectureParameters()) {
                NDArray table = store.getValue(alpha, scope.getDevice(), true);
                for (String op : PENALISED) {
                    NDArray column = table.get(":, " + Genotype.PRIMITIVES.indexOf(op));
                    // A slice of a parameter belongs to the parameter's manager: hand it, and what follows from it, to the step.
                    column.attach(scope);
                    sum = sum.add(column.abs().sum());
                }
            }
            return sum;
        }

        /**
         * Warns when {@code none} or a skip connection is the strongest operation on every edge of the normal cell.
         *
         * @param when the epoch just finished
         */
        void warnOnCollapse(String when) {
            if (!(mixed instanceof SearchNetwork network)) {
                return;
            }
            int edges = 0;
            int collapsed = 0;
            for (Parameter alpha : network.alphaNormal()) {
                for (double[] edge : SearchNetwork.softmax(alpha)) {
                    int best = 0;
                    for (int op = 1; op < edge.length; op++) {
                        best = edge[op] > edge[best] ? op : best;
                    }
                    String strongest = Genotype.PRIMITIVES.get(best);
                    collapsed += strongest.equals("none") || strongest.equals("skip_connect") ? 1 : 0;
                    edges++;
                }
            }
            if (collapsed == edges) {
                progress.note(String.format(Locale.ROOT, "warning: the architecture parameters have collapsed after %s (step %d): none or "
                        + "skip_connect is the strongest operation on all %d edges of the normal cell, so the genotype holds no "
                        + "convolution worth the name; lower strategy.alpha.lr, shorten the search, or use cdarts's regularization",
                        when, steps, edges));
            }
        }

        MixedNetwork mixed() {
            return mixed;
        }

        /** @return the current cycle's evaluation network, or null before the first cycle or without the cycle */
        CdartsNet evaluation() {
            return evaluation;
        }

        /** Gathers {@link #everything} again; the networks change only when a cycle opens. */
        private void gather() {
            List<Parameter> all = new ArrayList<>(learnable(mixed.block()));
            heads.forEach(h -> all.addAll(learnable(h)));
            if (evaluation != null) {
                all.addAll(learnable(evaluation));
            }
            everything = List.copyOf(all);
        }

        /** Writes every array of the search and the place in the plan, atomically. */
        private void save(int unitsDone) {
            Properties meta = new Properties();
            meta.setProperty("units", Integer.toString(unitsDone));
            meta.setProperty("search-epochs", Integer.toString(searchEpochsDone));
            meta.setProperty("steps", Long.toString(steps));
            if (evaluationGenotype != null) {
                meta.setProperty("evaluation", evaluationGenotype.toString());
            }
            try (NDManager scope = manager.newSubManager()) {
                Map<String, NDArray> arrays = state(scope);
                NDList list = new NDList();
                arrays.forEach((name, array) -> {
                    NDArray copy = scope.zeros(array.getShape(), array.getDataType()).add(array);
                    copy.setName(name);
                    list.add(copy);
                });
                StringWriter text = new StringWriter();
                meta.store(text, null);
                NDArray metaArray = scope.create(text.toString().getBytes(StandardCharsets.UTF_8));
                metaArray.setName("meta");
                list.add(metaArray);
                Path temporary = stateFile.resolveSibling(STATE + ".tmp");
                try (OutputStream out = Files.newOutputStream(temporary)) {
                    list.encode(out);
                }
                Files.move(temporary, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the search checkpoint " + stateFile + ": " + e.getMessage(), e);
            }
        }

        private Map<String, NDArray> state(NDManager scope) {
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            StateDict.tensors(mixed.block()).forEach((n, a) -> arrays.put("search." + n, a));
            for (int i = 0; i < heads.size(); i++) {
                int index = i;
                StateDict.tensors(heads.get(i)).forEach((n, a) -> arrays.put("head" + index + "." + n, a));
            }
            if (evaluation != null) {
                StateDict.tensors(evaluation).forEach((n, a) -> arrays.put("evaluation." + n, a));
                pool.arrays().forEach((n, a) -> arrays.put("pool." + n, a));
            }
            for (Updates updates : Arrays.asList(weightUpdates, alphaUpdates, evaluationUpdates)) {
                if (updates != null) {
                    arrays.putAll(updates.state(scope));
                }
            }
            return arrays;
        }

        /**
         * Reads the checkpoint: the arrays go back where they were, including the evaluation network
         * and optimizers of a cycle stopped in the middle.
         *
         * @return the first epoch still to run
         */
        private int resume(List<Unit> units) {
            Map<String, NDArray> saved = new LinkedHashMap<>();
            Properties meta = new Properties();
            NDManager scope = manager.newSubManager();
            try (InputStream in = Files.newInputStream(stateFile)) {
                for (NDArray array : NDList.decode(scope, in)) {
                    if (array.getName().equals("meta")) {
                        meta.load(new StringReader(new String(array.toByteArray(), StandardCharsets.UTF_8)));
                    } else {
                        saved.put(array.getName(), array);
                    }
                }
                int done = Integer.parseInt(meta.getProperty("units"));
                searchEpochsDone = Integer.parseInt(meta.getProperty("search-epochs"));
                steps = Long.parseLong(meta.getProperty("steps"));
                load(mixed.block(), saved, "search.");
                for (int i = 0; i < heads.size(); i++) {
                    load(heads.get(i), saved, "head" + i + ".");
                }
                if (done < units.size()) {
                    Unit next = units.get(done);
                    if (next.cycle() >= 0 && !next.opensCycle()) {
                        String genotype = meta.getProperty("evaluation");
                        openCycle(next.cycle(), genotype == null ? null : Genotype.parse(genotype));
                        if (evaluation != null) {
                            load(evaluation, saved, "evaluation.");
                        }
                    } else if (next.kind() == Kind.WARMUP) {
                        weightUpdates = Updates.sgd("weights", mixed.weights(), plan.weights().momentum(), plan.weights().weightDecay(),
                                manager);
                    }
                }
                if (pool != null) {
                    Map<String, NDArray> kept = new LinkedHashMap<>();
                    saved.forEach((n, a) -> {
                        if (n.startsWith("pool.")) {
                            kept.put(n.substring("pool.".length()), a);
                        }
                    });
                    pool.load(kept);
                }
                for (Updates updates : Arrays.asList(weightUpdates, alphaUpdates, evaluationUpdates)) {
                    if (updates != null) {
                        updates.restore(saved);
                    }
                }
                progress.note(plan.name() + ": resuming after epoch " + done + " of " + units.size() + " from " + stateFile);
                return done;
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot resume the " + plan.name() + " search from " + stateFile + " (" + e.getMessage()
                        + "); delete it to start the search over", e);
            } finally {
                scope.close();
            }
        }

        private void load(Block block, Map<String, NDArray> saved, String prefix) {
            StateDict.names(block).forEach((name, parameter) -> {
                NDArray value = saved.get(prefix + name);
                if (value == null) {
                    throw new IllegalStateException("it holds no " + prefix + name);
                }
                StateDict.copy(value, parameter.getArray());
            });
        }
    }

    private static NDArray forward(Block block, NDManager scope, NDArray images) {
        return block.forward(new ParameterStore(scope, false), new NDList(images), true).singletonOrThrow();
    }

    private static List<Parameter> learnable(Block block) {
        return StateDict.names(block).values().stream().filter(Parameter::requiresGradient).toList();
    }

    private static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return permute(order, random);
    }

    private static int[] permute(int[] values, Random random) {
        int[] copy = values.clone();
        for (int i = copy.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = copy[i];
            copy[i] = copy[j];
            copy[j] = t;
        }
        return copy;
    }

    private int[] slice(int[] order, int batch) {
        return Arrays.copyOfRange(order, batch * plan.batchSize(), (batch + 1) * plan.batchSize());
    }

    private long[] seeds(Random random) {
        long[] seeds = new long[plan.batchSize()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = random.nextLong();
        }
        return seeds;
    }

    /** Running accuracy and loss of the epoch, per network, for progress lines. */
    static final class Meter {
        private final Map<String, long[]> counts = new LinkedHashMap<>();
        private double loss;
        private long losses;

        void add(String network, NDArray logits, Batch batch, NDArray batchLoss) {
            long correct = logits.argMax(1).toType(DataType.INT64, false).eq(batch.labels().toType(DataType.INT64, false)).sum()
                    .toType(DataType.INT64, false).getLong();
            long[] c = counts.computeIfAbsent(network, k -> new long[2]);
            c[0] += correct;
            c[1] += batch.size();
            if (batchLoss != null) {
                loss += batchLoss.toType(DataType.FLOAT64, false).getDouble();
                losses++;
            }
        }

        String status() {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "loss %.4f", losses == 0 ? Double.NaN : loss / losses));
            counts.forEach((network, c) -> text.append(String.format(Locale.ROOT, ", %s acc %.2f%%", network, 100.0 * c[0] / c[1])));
            return text.toString();
        }
    }
}
