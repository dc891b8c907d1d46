package dev.creamery.cdarts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.creamery.api.nn.DropPath;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.Sequential;
import java.util.ArrayList;
import java.util.List;

/**
 * A discrete DARTS cell, the official {@code AugmentCell}: both inputs preprocessed to {@code C}
 * channels ({@code preproc0}, {@code preproc1}), each node the sum of its two operations on earlier
 * states ({@code dag.<node>.<edge>}, in the genotype's order), the output the concat of the states the
 * genotype lists. In a reduction cell the operations on the cell's inputs have stride 2. Every
 * operation but the identity is dropped by path in training, as the official {@code Sequential(op,
 * DropPath_())} wraps them (hence the {@code .0} in their names).
 */
final class Cell extends Module {
    private final Module preproc0;
    private final Module preproc1;
    private final List<List<Wired>> nodes = new ArrayList<>();
    private final List<Integer> concat;
    private double dropPath;

    /**
     * @param genotype the cells' genotype
     * @param reduction whether this is a reduction cell
     * @param previousReduction whether the cell before the previous one's output halves the side (then
     *     {@code preproc0} reduces too)
     * @param channelsPrevPrev channels of the cell's first input
     * @param channelsPrev channels of its second input
     * @param channels {@code C}, the width of each node
     */
    Cell(Genotype genotype, boolean reduction, boolean previousReduction, int channelsPrevPrev, int channelsPrev, int channels) {
        preproc0 = addChildBlock("preproc0", previousReduction ? new CellOps.FactorizedReduce(channelsPrevPrev, channels, true)
                : CellOps.stdConv(channelsPrevPrev, channels, true));
        preproc1 = addChildBlock("preproc1", CellOps.stdConv(channelsPrev, channels, true));
        List<List<Genotype.Edge>> gene = reduction ? genotype.reduce() : genotype.normal();
        concat = reduction ? genotype.reduceConcat() : genotype.normalConcat();
        Sequential dag = addChildBlock("dag", new Sequential());
        for (List<Genotype.Edge> node : gene) {
            Sequential row = new Sequential();
            List<Wired> edges = new ArrayList<>();
            for (Genotype.Edge edge : node) {
                Module op = CellOps.of(edge.op(), channels, reduction && edge.input() < 2 ? 2 : 1, true);
                boolean identity = op instanceof CellOps.Identity;
                row.add(identity ? op : new Sequential(op));
                edges.add(new Wired(op, edge.input(), !identity));
            }
            dag.add(row);
            nodes.add(edges);
        }
    }

    /** An edge as built: its operation, the state it reads, and whether it is dropped by path. */
    private record Wired(Module op, int input, boolean dropped) {}

    /** @param rate the drop-path rate of every operation but the identity, in training */
    void dropPath(double rate) {
        dropPath = rate;
    }

    /** @return the cell's output channels per node width: the number of states it concatenates */
    int outputs() {
        return concat.size();
    }

    NDArray apply(ParameterStore store, NDArray s0, NDArray s1, boolean training) {
        List<NDArray> states = new ArrayList<>();
        states.add(preproc0.apply(store, s0, training));
        states.add(preproc1.apply(store, s1, training));
        for (List<Wired> node : nodes) {
            NDArray sum = null;
            for (Wired edge : node) {
                NDArray out = edge.op().apply(store, states.get(edge.input()), training);
                if (edge.dropped()) {
                    out = DropPath.apply(out, dropPath, training);
                }
                sum = sum == null ? out : sum.add(out);
            }
            states.add(sum);
        }
        NDList out = new NDList();
        concat.forEach(i -> out.add(states.get(i)));
        return NDArrays.concat(out, 1);
    }

    Shape trace(Shape s0, Shape s1, Macs macs) {
        List<Shape> states = new ArrayList<>();
        states.add(preproc0.trace(s0, macs));
        states.add(preproc1.trace(s1, macs));
        for (int n = 0; n < nodes.size(); n++) {
            Shape node = null;
            for (Wired edge : nodes.get(n)) {
                Shape out = edge.op().trace(states.get(edge.input()), macs);
                if (node != null && !node.equals(out)) {
                    throw new IllegalArgumentException("node " + n + " sums " + node + " and " + out + "; its inputs differ in size");
                }
                node = out;
            }
            states.add(node);
        }
        Shape first = states.get(concat.get(0));
        long channels = concat.stream().mapToLong(i -> states.get(i).get(1)).sum();
        return new Shape(first.get(0), channels, first.get(2), first.get(3));
    }

    /** On one input the cell takes it as both, as the first CIFAR cell takes the stem's output. */
    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return apply(store, x, x, training);
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        return trace(input, input, macs);
    }
}
