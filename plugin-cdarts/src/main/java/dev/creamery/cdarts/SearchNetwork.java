package dev.creamery.cdarts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import dev.creamery.api.Architecture;
import dev.creamery.api.MixedNetwork;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.api.nn.BatchNorm;
import dev.creamery.api.nn.Conv2d;
import dev.creamery.api.nn.Linear;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.Sequential;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * CDARTS's search network (the official controller's {@code super_layers} with one set of
 * architecture parameters for all cells, {@code repeat_cell}): a stem at full resolution, three
 * layers of {@link SearchCell}s whose first two end in a reduction cell, global average pooling and a
 * classifier. The architecture parameters are, per node, an {@code (inputs, ops)} table for the
 * normal cells ({@code alpha_normal.<node>}) and one for the reduction cells ({@code alpha_reduce.<node>}),
 * drawn from {@code 1e-3 * N(0, 1)}; every edge mixes its operations by the softmax of its row.
 */
final class SearchNetwork extends Module implements MixedNetwork {
    /** Intermediate nodes per cell, as in every DARTS space. */
    static final int NODES = 4;
    private static final int NONE = Genotype.PRIMITIVES.indexOf("none");

    private final Module stem;
    private final List<SearchCell> cells = new ArrayList<>();
    private final Layout layout;
    private final Linear fc;
    private final List<Parameter> alphaNormal = new ArrayList<>();
    private final List<Parameter> alphaReduce = new ArrayList<>();

    /**
     * @param layout the cells of each layer
     * @param channels the first layer's node width
     * @param task the input and the classes
     */
    SearchNetwork(Layout layout, int channels, Task task) {
        int width = Layout.STEM_MULTIPLIER * channels;
        stem = addChildBlock("feature_extractor", new Sequential(new Conv2d(task.channels(), width, 3, 1, 1, 1, false),
                new BatchNorm(width, 1f)));
        this.layout = layout;
        Sequential layers = addChildBlock("super_layers", new Sequential());
        List<Sequential> rows = new ArrayList<>();
        for (int layer = 0; layer < layout.cells().length; layer++) {
            Sequential row = new Sequential();
            layers.add(row);
            rows.add(row);
        }
        List<Layout.Slot> slots = layout.slots(channels, reduction -> NODES);
        for (Layout.Slot slot : slots) {
            SearchCell cell = new SearchCell(NODES, slot.reduction(), slot.previousReduction(), slot.channelsPrevPrev(), slot.channelsPrev(),
                    slot.channels());
            rows.get(slot.layer()).add(cell);
            cells.add(cell);
        }
        int previous = slots.get(slots.size() - 1).channels() * NODES;
        fc = addChildBlock("fc_super", new Linear(previous, task.classes()));
        for (int n = 0; n < NODES; n++) {
            alphaNormal.add(alpha("alpha_normal." + n, n + 2));
            alphaReduce.add(alpha("alpha_reduce." + n, n + 2));
        }
    }

    private Parameter alpha(String name, int inputs) {
        return parameter(name, Parameter.Type.OTHER, new Shape(inputs, Genotype.PRIMITIVES.size()), new NormalInitializer(1e-3f), true);
    }

    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        List<NDArray> stages = stages(store, x, training);
        return stages.get(stages.size() - 1);
    }

    /** @return the output of every layer but the last, then the logits (as {@link CdartsNet#stages}) */
    List<NDArray> stages(ParameterStore store, NDArray x, boolean training) {
        List<NDArray> normal = mixture(store, alphaNormal, x);
        List<NDArray> reduce = mixture(store, alphaReduce, x);
        NDArray s0 = stem.apply(store, x, training);
        List<NDArray> stages = layout.chain(s0, s0, (i, a, b) -> cells.get(i).apply(store, a, b, cells.get(i).reduction() ? reduce : normal,
                training));
        stages.set(stages.size() - 1, CdartsNet.classify(fc, store, stages.get(stages.size() - 1), training));
        return stages;
    }

    /** The softmax of each node's table, made in the batch's manager (an op on a parameter would keep it, and its graph, for good). */
    private static List<NDArray> mixture(ParameterStore store, List<Parameter> alphas, NDArray x) {
        List<NDArray> weights = new ArrayList<>();
        for (Parameter alpha : alphas) {
            NDArray w = store.getValue(alpha, x.getDevice(), true).softmax(-1);
            w.attach(x.getManager());
            weights.add(w);
        }
        return weights;
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        Shape s0 = stem.trace(input, macs);
        List<Shape> stages = layout.chain(s0, s0, (i, a, b) -> cells.get(i).trace(a, b, macs));
        Shape last = stages.get(stages.size() - 1);
        return fc.trace(new Shape(last.get(0), last.get(1)), macs);
    }

    @Override
    public Block block() {
        return this;
    }

    @Override
    public List<Parameter> architectureParameters() {
        List<Parameter> all = new ArrayList<>(alphaNormal);
        all.addAll(alphaReduce);
        return all;
    }

    @Override
    public List<Parameter> weights() {
        List<Parameter> alphas = architectureParameters();
        return StateDict.names(this).values().stream().filter(p -> p.requiresGradient() && !alphas.contains(p)).toList();
    }

    /** The official {@code parse}: per node, the two inputs whose strongest operation other than {@code none} is strongest. */
    @Override
    public Architecture derive() {
        return new Genotype(cell(alphaNormal), concat(), cell(alphaReduce), concat()).toArchitecture().build();
    }

    private static List<Integer> concat() {
        return IntStream.range(2, 2 + NODES).boxed().toList();
    }

    private static List<List<Genotype.Edge>> cell(List<Parameter> alphas) {
        List<List<Genotype.Edge>> nodes = new ArrayList<>();
        for (Parameter alpha : alphas) {
            double[][] weights = softmax(alpha);
            List<Genotype.Edge> strongest = new ArrayList<>();
            for (int input = 0; input < weights.length; input++) {
                int best = 0;
                for (int op = 1; op < weights[input].length; op++) {
                    if (op != NONE && weights[input][op] > weights[input][best]) {
                        best = op;
                    }
                }
                strongest.add(new Genotype.Edge(Genotype.PRIMITIVES.get(best), input));
            }
            strongest.sort(Comparator.comparingDouble((Genotype.Edge e) -> -weights[e.input()][Genotype.PRIMITIVES.indexOf(e.op())]));
            nodes.add(List.copyOf(strongest.subList(0, 2)));
        }
        return nodes;
    }

    /**
     * @param alpha a node's table
     * @return its softmax per input, in double precision
     */
    static double[][] softmax(Parameter alpha) {
        NDArray array = alpha.getArray();
        int inputs = (int) array.getShape().get(0);
        int ops = (int) array.getShape().get(1);
        float[] values = array.toFloatArray();
        double[][] weights = new double[inputs][ops];
        for (int i = 0; i < inputs; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int o = 0; o < ops; o++) {
                max = Math.max(max, values[i * ops + o]);
            }
            double sum = 0;
            for (int o = 0; o < ops; o++) {
                weights[i][o] = Math.exp(values[i * ops + o] - max);
                sum += weights[i][o];
            }
            for (int o = 0; o < ops; o++) {
                weights[i][o] /= sum;
            }
        }
        return weights;
    }

    /** @return the normal cells' tables, node by node */
    List<Parameter> alphaNormal() {
        return alphaNormal;
    }

    /** @return the reduction cells' tables, node by node */
    List<Parameter> alphaReduce() {
        return alphaReduce;
    }
}
