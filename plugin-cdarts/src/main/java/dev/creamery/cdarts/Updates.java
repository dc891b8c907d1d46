package dev.creamery.cdarts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import dev.creamery.api.StateDict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One optimizer over one set of parameters, with PyTorch's update rules: SGD with momentum (the
 * velocity accumulates raw gradients plus L2 weight decay) or Adam (L2 weight decay added to the
 * gradient, bias-corrected moments, eps 1e-8 outside the square root). CDARTS steps two or three of
 * them over disjoint sets in one iteration, which one DJL trainer cannot do; the state lives in the
 * manager given at creation and is named for checkpoints.
 */
final class Updates {
    private static final double EPS = 1e-8;

    private final String name;
    private final List<Parameter> parameters;
    private final boolean adam;
    private final double momentum;
    private final double beta2;
    private final double weightDecay;
    private final List<NDArray> first = new ArrayList<>();
    private final List<NDArray> second = new ArrayList<>();
    private long steps;

    private Updates(String name, List<Parameter> parameters, boolean adam, double momentum, double beta2, double weightDecay,
            NDManager manager) {
        this.name = name;
        this.parameters = List.copyOf(parameters);
        this.adam = adam;
        this.momentum = momentum;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
        for (Parameter p : this.parameters) {
            first.add(manager.zeros(p.getArray().getShape(), p.getArray().getDataType()));
            if (adam) {
                second.add(manager.zeros(p.getArray().getShape(), p.getArray().getDataType()));
            }
        }
    }

    /**
     * @param name names the state in checkpoints
     * @return {@code torch.optim.SGD(parameters, lr, momentum, weight_decay)}
     */
    static Updates sgd(String name, List<Parameter> parameters, double momentum, double weightDecay, NDManager manager) {
        return new Updates(name, parameters, false, momentum, 0, weightDecay, manager);
    }

    /**
     * @param name names the state in checkpoints
     * @return {@code torch.optim.Adam(parameters, lr, betas=(beta1, beta2), weight_decay)}
     */
    static Updates adam(String name, List<Parameter> parameters, double beta1, double beta2, double weightDecay, NDManager manager) {
        return new Updates(name, parameters, true, beta1, beta2, weightDecay, manager);
    }

    /**
     * Updates every parameter from its gradient (a parameter without a gradient this step still
     * decays and moves with its momentum, as PyTorch's optimizers do with zeroed gradients).
     *
     * @param lr the learning rate of this step
     * @param scope the step's manager
     */
    void step(double lr, NDManager scope) {
        steps++;
        for (int i = 0; i < parameters.size(); i++) {
            NDArray weight = parameters.get(i).getArray();
            // Every operand is copied into the step's manager first: an op's result belongs to its receiver's manager.
            NDArray gradient = inScope(weight.getGradient(), scope);
            NDArray current = inScope(weight, scope);
            if (weightDecay > 0) {
                gradient = gradient.add(current.mul(weightDecay));
            }
            NDArray updated;
            if (adam) {
                NDArray m = inScope(first.get(i), scope).mul(momentum).add(gradient.mul(1 - momentum));
                NDArray v = inScope(second.get(i), scope).mul(beta2).add(gradient.square().mul(1 - beta2));
                StateDict.copy(m, first.get(i));
                StateDict.copy(v, second.get(i));
                double correction1 = 1 - Math.pow(momentum, steps);
                double correction2 = 1 - Math.pow(beta2, steps);
                NDArray denominator = v.div(correction2).sqrt().add(EPS);
                updated = current.sub(m.div(denominator).mul(lr / correction1));
            } else {
                NDArray velocity = steps == 1 ? gradient : inScope(first.get(i), scope).mul(momentum).add(gradient);
                StateDict.copy(velocity, first.get(i));
                updated = current.sub(velocity.mul(lr));
            }
            StateDict.copy(updated, weight);
        }
    }

    private static NDArray inScope(NDArray array, NDManager scope) {
        return scope.zeros(array.getShape(), array.getDataType()).add(array);
    }

    /** @return the state to checkpoint, by name */
    Map<String, NDArray> state(NDManager manager) {
        Map<String, NDArray> state = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            state.put(name + ".first." + i, first.get(i));
            if (adam) {
                state.put(name + ".second." + i, second.get(i));
            }
        }
        state.put(name + ".steps", manager.create(new long[] {steps}));
        return state;
    }

    /** Restores {@link #state}. */
    void restore(Map<String, NDArray> state) {
        for (int i = 0; i < parameters.size(); i++) {
            StateDict.copy(state.get(name + ".first." + i), first.get(i));
            if (adam) {
                StateDict.copy(state.get(name + ".second." + i), second.get(i));
            }
        }
        steps = state.get(name + ".steps").toType(DataType.INT64, false).toLongArray()[0];
    }

    /**
     * Scales the gradients of the parameters so that their global norm is at most {@code max}
     * ({@code torch.nn.utils.clip_grad_norm_}).
     *
     * @param scope the step's manager
     * @return the norm before clipping (NaN or infinite if a gradient is)
     */
    static double clipNorm(List<Parameter> parameters, double max, NDManager scope) {
        // One sum per parameter on the device, one read for all: a read per parameter waits for each.
        NDList sums = new NDList();
        for (Parameter p : parameters) {
            NDArray g = p.getArray().getGradient();
            g.attach(scope);
            sums.add(g.toType(DataType.FLOAT64, false).square().sum());
        }
        double norm = Math.sqrt(NDArrays.stack(sums).sum().getDouble());
        double factor = max / (norm + 1e-6);
        if (factor < 1) {
            for (Parameter p : parameters) {
                NDArray g = p.getArray().getGradient();
                g.attach(scope);
                g.muli(factor);
            }
        }
        return norm;
    }

    /** Zeroes the gradients of the parameters for the next backward pass. */
    static void zeroGradients(List<Parameter> parameters, NDManager scope) {
        for (Parameter p : parameters) {
            NDArray g = p.getArray().getGradient();
            g.attach(scope);
            g.muli(0);
        }
    }
}
