package dev.creamery.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.creamery.api.StateDict;
import dev.creamery.api.TrainingSettings;
import dev.creamery.api.TrainingSettings.OptimizerKind;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW or SGD over named parameters, with PyTorch's semantics: each parameter keeps its own step
 * count and state, a step updates only the parameters it is given (PyTorch skips parameters without
 * a gradient), biases, norms, position embeddings, class tokens and bias tables are not decayed
 * (timm's rule). AdamW runs the engine's fused native update, one call per parameter.
 */
final class WeightUpdater {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;
    private static final List<String> NO_DECAY = List.of("pos_embed", "cls_token", "dist_token", "relative_position",
            "rel_pos", "attention_biases", "absolute_pos_embed");

    private final TrainingSettings settings;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final Map<String, Slot> byId = new HashMap<>();

    private static final class Slot {
        final String name;
        final Parameter parameter;
        final boolean decay;
        final NDArray first;
        final NDArray second;
        long steps;

        Slot(String name, Parameter parameter, boolean decay, NDArray first, NDArray second) {
            this.name = name;
            this.parameter = parameter;
            this.decay = decay;
            this.first = first;
            this.second = second;
        }
    }

    /**
     * @param settings optimizer kind and hyper-parameters
     * @param parameters the trainable parameters by name
     * @param state owns the optimizer state arrays (lives as long as the training)
     */
    WeightUpdater(TrainingSettings settings, Map<String, Parameter> parameters, NDManager state) {
        this.settings = settings;
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            NDArray weight = entry.getValue().getArray();
            boolean decay = weight.getShape().dimension() > 1 && NO_DECAY.stream().noneMatch(entry.getKey()::contains);
            NDArray first = state.zeros(weight.getShape(), weight.getDataType(), weight.getDevice());
            NDArray second = settings.optimizer() == OptimizerKind.ADAMW
                    ? state.zeros(weight.getShape(), weight.getDataType(), weight.getDevice()) : null;
            Slot slot = new Slot(entry.getKey(), entry.getValue(), decay, first, second);
            slots.put(entry.getKey(), slot);
            byId.put(entry.getValue().getId(), slot);
        }
    }

    /**
     * Updates the given parameters from their gradients and zeroes the gradients of all.
     *
     * @param active the parameters this step trains
     * @param lr the learning rate of this step
     */
    void step(Collection<Parameter> active, double lr) {
        Engines.withoutGradients(() -> {
            for (Parameter parameter : active) {
                Slot slot = byId.get(parameter.getId());
                if (slot == null) {
                    throw new IllegalStateException("parameter " + parameter.getName() + " is not trained by this optimizer");
                }
                update(slot, (float) lr);
            }
            for (Slot slot : slots.values()) {
                Engines.zeroGradient(slot.parameter.getArray());
            }
            return null;
        });
    }

    private void update(Slot slot, float lr) {
        slot.steps++;
        NDArray weight = slot.parameter.getArray();
        float decay = slot.decay ? (float) settings.weightDecay() : 0f;
        try (NDArray gradient = weight.getGradient()) {
            if (settings.optimizer() == OptimizerKind.ADAMW) {
                double correction1 = 1 - Math.pow(BETA1, slot.steps);
                double correction2 = 1 - Math.pow(BETA2, slot.steps);
                float corrected = (float) (lr * Math.sqrt(correction2) / correction1);
                weight.getNDArrayInternal().adamUpdate(new NDList(weight, gradient, slot.first, slot.second),
                        new NDList(weight), lr, corrected, decay, 1f, -1f, BETA1, BETA2, EPSILON, true, true);
            } else {
                sgd(slot, weight, gradient, lr, decay);
            }
        }
    }

    private void sgd(Slot slot, NDArray weight, NDArray gradient, float lr, float decay) {
        if (decay > 0) {
            try (NDArray decayed = weight.mul(decay)) {
                gradient.addi(decayed);
            }
        }
        NDArray direction = gradient;
        float momentum = (float) settings.momentum();
        if (momentum > 0) {
            if (slot.steps == 1) {
                StateDict.copy(gradient, slot.first);
            } else {
                slot.first.muli(momentum).addi(gradient);
            }
            direction = slot.first;
        }
        try (NDArray delta = direction.mul(lr)) {
            weight.subi(delta);
        }
    }

    /** @return optimizer state for a checkpoint: arrays by name (live arrays, not copies) */
    Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        for (Slot slot : slots.values()) {
            state.put("optimizer.first." + slot.name, slot.first);
            if (slot.second != null) {
                state.put("optimizer.second." + slot.name, slot.second);
            }
        }
        return state;
    }

    /** @return each parameter's update count, by name */
    Map<String, Long> steps() {
        Map<String, Long> steps = new LinkedHashMap<>();
        slots.forEach((name, slot) -> steps.put(name, slot.steps));
        return steps;
    }

    /**
     * Restores state saved by {@link #state()} and {@link #steps()}.
     *
     * @param tensors the saved arrays by name
     * @param steps the saved update counts
     * @throws IllegalArgumentException if they do not match this optimizer's parameters
     */
    void restore(Map<String, NDArray> tensors, Map<String, Long> steps) {
        for (Map.Entry<String, NDArray> entry : state().entrySet()) {
            NDArray saved = tensors.get(entry.getKey());
            if (saved == null || !saved.getShape().equals(entry.getValue().getShape())) {
                throw new IllegalArgumentException("checkpoint optimizer state " + entry.getKey() + " is missing or mis-shaped");
            }
            StateDict.copy(saved, entry.getValue());
        }
        for (Slot slot : slots.values()) {
            Long count = steps.get(slot.name);
            if (count == null) {
                throw new IllegalArgumentException("checkpoint has no step count for " + slot.name);
            }
            slot.steps = count;
        }
    }
}
