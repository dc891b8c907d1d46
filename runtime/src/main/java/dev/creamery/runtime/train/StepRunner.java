package dev.creamery.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.creamery.api.SoftTargets;
import dev.creamery.api.StateDict;
import dev.creamery.api.TrainingSettings;
import dev.creamery.api.nn.Autograd;
import dev.creamery.api.nn.Losses;
import dev.creamery.api.nn.Scalars;
import dev.creamery.api.nn.Taps;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One training step — forward, label-smoothed cross-entropy (or cross-entropy against soft
 * targets, and their relation losses), backward, gradient clipping, optimizer update — for a model
 * and its optimizer state. The training loop runs it per batch; the profiler times it.
 */
public final class StepRunner implements AutoCloseable {
    private final Block model;
    private final TrainingSettings settings;
    private final NDManager state;
    private final WeightUpdater updater;
    private final List<Parameter> trainable;

    /**
     * @param model an initialised block
     * @param settings optimizer, smoothing, clipping
     * @param manager owner of the optimizer state (a sub-manager is made and closed with this runner)
     */
    public StepRunner(Block model, TrainingSettings settings, NDManager manager) {
        this.model = model;
        this.settings = settings;
        this.state = manager.newSubManager();
        Map<String, Parameter> named = new LinkedHashMap<>();
        StateDict.names(model).forEach((name, parameter) -> {
            if (parameter.requiresGradient()) {
                named.put(name, parameter);
            }
        });
        this.trainable = List.copyOf(named.values());
        this.updater = new WeightUpdater(settings, named, state);
    }

    /** @return every parameter that takes gradients */
    public List<Parameter> trainable() {
        return trainable;
    }

    /** @return the optimizer (for checkpoints) */
    WeightUpdater updater() {
        return updater;
    }

    /**
     * @param loss the batch's mean loss
     * @param correct examples whose top logit is the label
     */
    public record Result(double loss, long correct) {}

    /**
     * Runs one step. The parameters are updated only if the loss and their gradients are finite; a step
     * whose gradients are not, with a finite loss, is computed once more (see the comment inside). A
     * step still not finite returns a NaN loss.
     *
     * @param step the step's manager: it owns the batch and every temporary
     * @param images the batch
     * @param labels its labels (int64)
     * @param active the parameters to update
     * @param lr the learning rate
     * @return the loss and the number of correct predictions
     */
    public Result run(NDManager step, NDArray images, NDArray labels, Collection<Parameter> active, double lr) {
        return run(step, images, labels, null, active, lr);
    }

    /**
     * A step's soft targets.
     *
     * @param probabilities {@code (N, classes)} probabilities to learn from, at the source's temperature
     * @param weight their share of the loss, the labels' being the rest ({@link dev.creamery.api.FitOptions#softTargets})
     * @param source what gave them: its temperature, and the relation losses it adds
     */
    public record Soft(NDArray probabilities, double weight, SoftTargets source) {}

    /**
     * Runs one step, against soft targets (a teacher's probabilities) too when given.
     *
     * @param step the step's manager: it owns the batch and every temporary
     * @param images the batch
     * @param labels its labels (int64)
     * @param targets the step's soft targets, or null
     * @param active the parameters to update
     * @param lr the learning rate
     * @return the loss and the number of correct predictions
     */
    public Result run(NDManager step, NDArray images, NDArray labels, Soft targets, Collection<Parameter> active, double lr) {
        Pass pass = forwardBackward(step, images, labels, targets, active);
        double value = pass.loss().getFloat();
        if (Double.isFinite(value) && !pass.finiteGradients()) {
            // With more than one intra-op thread, PyTorch 2.7.1's CPU backward now and then returns NaN
            // gradients from finite weights and a finite loss (Cream nets, about one step in several
            // hundred); the same step computed again is finite. Applying them would turn every weight
            // into NaN, so the step is computed once more (its batch-norm statistics move twice).
            for (Parameter parameter : trainable) {
                Engines.zeroGradient(parameter.getArray());
            }
            pass = forwardBackward(step, images, labels, targets, active);
            value = pass.finiteGradients() ? pass.loss().getFloat() : Double.NaN;
        }
        if (Double.isFinite(value)) {
            updater.step(active, lr);
        }
        long correct = pass.logits().argMax(1).toType(DataType.INT64, false).eq(labels).sum().getLong();
        return new Result(value, correct);
    }

    /** A forward and backward pass: its loss, its logits, and whether every gradient is finite. */
    private record Pass(NDArray loss, NDArray logits, boolean finiteGradients) {}

    /** @return the pass, its gradients accumulated (and clipped when set; the clipping's norm is the finiteness check) */
    private Pass forwardBackward(NDManager step, NDArray images, NDArray labels, Soft targets, Collection<Parameter> active) {
        NDArray loss;
        NDArray logits;
        List<Integer> layers = targets == null ? List.of() : targets.source().studentLayers();
        try (GradientCollector collector = Autograd.record();
                Taps taps = layers.isEmpty() ? null : Taps.record(layers)) {
            logits = model.forward(new ParameterStore(step, false), new NDList(images), true).singletonOrThrow();
            if (targets == null) {
                loss = Losses.crossEntropy(logits, labels, settings.labelSmoothing());
            } else {
                double temperature = targets.source().temperature();
                NDArray tempered = temperature == 1 ? logits : Scalars.times(logits, 1 / temperature);
                NDArray soft = Losses.softTargetCrossEntropy(tempered, targets.probabilities());
                loss = targets.weight() == 1 ? soft : Scalars.times(Losses.crossEntropy(logits, labels, settings.labelSmoothing()),
                        1 - targets.weight()).add(Scalars.times(soft, targets.weight()));
                if (taps != null) {
                    loss = loss.add(targets.source().relations(taps));
                }
            }
            collector.backward(loss);
        }
        boolean finite = settings.clipGradNorm() > 0 ? Double.isFinite(Gradients.clipNorm(active, settings.clipGradNorm(), step))
                : Gradients.finite(active, step);
        return new Pass(loss, logits, finite);
    }

    @Override
    public void close() {
        state.close();
    }
}
