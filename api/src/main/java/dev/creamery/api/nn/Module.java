package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.creamery.api.Complexity;
import dev.creamery.api.Task;
import java.util.List;

/**
 * A block built like a PyTorch module: every parameter shape is fixed by the constructor, so the
 * block needs no shape inference, counts its parameters before any array exists, and traces
 * shapes and multiply-accumulates symbolically with the same code path that defines the network.
 *
 * <p>Children are named after the official module attributes, which is what makes
 * {@link dev.creamery.api.StateDict#names} produce the official {@code state_dict} keys.
 */
public abstract class Module extends AbstractBlock {
    /**
     * Runs the module on one array.
     *
     * @param store where parameter values come from (it places them on the input's device)
     * @param x the input
     * @param training whether to run in training mode
     * @return the output
     */
    public abstract NDArray apply(ParameterStore store, NDArray x, boolean training);

    /**
     * Follows an input shape through the module without computing anything.
     *
     * @param input the input shape, batch first
     * @param macs receives the multiply-accumulates the module would spend on that input
     * @return the output shape
     */
    public abstract Shape trace(Shape input, Macs macs);

    /** @return learnable elements (parameters that take gradients) of this module and its children */
    public final long params() {
        long count = 0;
        for (Parameter parameter : getDirectParameters().values()) {
            if (parameter.requiresGradient()) {
                count += parameter.getShape().size();
            }
        }
        for (Block child : getChildren().values()) {
            count += ((Module) child).params();
        }
        return count;
    }

    /**
     * Parameters and multiply-accumulates of one image: what a family or a space reports, counted by
     * the same code that defines the network, so the two cannot drift apart.
     *
     * @param task the input shape
     * @return {@link #params()} and the multiply-accumulates {@link #trace} finds for one image
     */
    public final Complexity complexity(Task task) {
        Macs macs = new Macs();
        trace(task.inputShape(1), macs);
        return new Complexity(params(), macs.total());
    }

    /**
     * The buffers the official module keeps in its {@code state_dict} that this one derives (an
     * index, a mask, a counter), named relative to this module; {@link OfficialCheckpoint} drops and
     * checks them when an official checkpoint loads. They describe the module as it is now (a
     * supernet's active member).
     *
     * @return this module's own derived buffers (not its children's); none by default
     */
    public List<DerivedBuffer> derivedBuffers() {
        return List.of();
    }

    /**
     * Prepares inference with the weights as they are now, the way the official deploy paths prepare a
     * model before timing it: batch norms folded into the convolutions before them, bias tables
     * gathered once. Inference passes then run the prepared form; a module drops it on its next
     * training pass, since training changes the weights it was made from. Call it again after loading
     * weights into a prepared module. The default prepares the children.
     */
    public void prepareInference() {
        for (Block child : getChildren().values()) {
            ((Module) child).prepareInference();
        }
    }

    /**
     * Prepares any network for inference: {@link #prepareInference()} if it is a module (a block of
     * another kind runs as it is).
     *
     * @param network a network whose weights are now fixed
     */
    public static void prepareInference(Block network) {
        if (network instanceof Module module) {
            module.prepareInference();
        }
    }

    /**
     * Runs this module on {@code x} so that, at inference, the arrays it makes on the way are freed
     * as soon as it returns and only its output stays. An inference pass otherwise keeps every array
     * it makes until its manager closes, all of a deep network's activations at once (S3-S at batch
     * 64 needed more than 24 GB). Networks call it for each of their large blocks. A training pass
     * runs the module as it is, since the backward pass needs what it made, and so does a pass that
     * records layers ({@link Taps}).
     *
     * @param store where the parameters' values come from
     * @param x the input, which stays where it is
     * @param training whether this is a training pass
     * @return the output, in {@code x}'s manager
     */
    public final NDArray applyScoped(ParameterStore store, NDArray x, boolean training) {
        if (training || Taps.recording()) {
            return apply(store, x, training);
        }
        NDManager owner = x.getManager();
        try (NDManager scope = owner.newSubManager()) {
            x.tempAttach(scope);
            NDArray y = apply(store, x, false);
            y.attach(owner);
            return y;
        }
    }

    /**
     * Declares a parameter of a known shape on this module (also used by helpers that add a table to
     * the module that owns them, so that it is named under that module).
     *
     * @param name the official parameter name
     * @param type DJL's parameter type
     * @param shape the shape
     * @param initializer how it starts
     * @param learnable whether it takes gradients
     * @return the parameter
     */
    public final Parameter parameter(String name, Parameter.Type type, Shape shape, Initializer initializer, boolean learnable) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(type)
                .optShape(shape)
                .optInitializer(initializer)
                .optRequiresGrad(learnable)
                .build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(store, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {trace(inputShapes[0], new Macs())};
    }

    /** Parameter shapes do not depend on the input, so children initialise with the same shapes. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }
}
