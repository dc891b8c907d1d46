package dev.creamery.cream;

import ai.djl.ndarray.types.Shape;
import dev.creamery.api.Architecture;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * The FLOPs of each candidate block of each searchable layer of a {@link CreamSpace} and of the part
 * every path shares, as the official {@code FlopsEst} tabulates them: a path's FLOPs are the fixed
 * part plus one entry per layer, known before the path runs. Counted as the family counts them
 * ({@link ProfilerCount}), so a path's total equals its child net's.
 */
public final class FlopsTable {
    private final long fixed;
    private final long[][][] entries;

    private FlopsTable(long fixed, long[][][] entries) {
        this.fixed = fixed;
        this.entries = entries;
    }

    static FlopsTable of(CreamSpace space, Task task) {
        List<List<ChoiceLayer>> layers = new ArrayList<>();
        CreamNet network = CreamNet.supernet(space.depths(), task, layers);
        Macs shared = new Macs();
        Shape shape = network.stem(task.inputShape(1), shared);
        List<ai.djl.nn.Block> stages = network.blocks().getChildren().values();
        shape = ((Module) stages.get(0)).trace(shape, shared);
        long[][][] entries = new long[layers.size()][][];
        for (int i = 0; i < layers.size(); i++) {
            entries[i] = new long[layers.get(i).size()][];
            for (int j = 0; j < layers.get(i).size(); j++) {
                List<MobileBlock> choices = layers.get(i).get(j).choices();
                entries[i][j] = new long[choices.size()];
                Shape output = null;
                for (int c = 0; c < choices.size(); c++) {
                    Macs macs = new Macs();
                    output = choices.get(c).trace(shape, macs);
                    entries[i][j][c] = macs.total();
                }
                shape = output;
            }
        }
        Macs all = new Macs();
        network.trace(task.inputShape(1), all);
        long path = 0;
        for (long[][] stage : entries) {
            for (long[] layer : stage) {
                path += layer[0];
            }
        }
        return new FlopsTable(all.total() - path, entries);
    }

    /**
     * @param architecture a member of the space
     * @return its FLOPs per image
     */
    public long flops(Architecture architecture) {
        List<List<Op>> path = Layout.blocks(architecture);
        long total = fixed;
        for (int i = 0; i < entries.length; i++) {
            for (int j = 0; j < entries[i].length; j++) {
                total += entries[i][j][Op.CHOICES.indexOf(path.get(i).get(j))];
            }
        }
        return total;
    }

    /** @return the FLOPs every path has: stem, fixed blocks, head */
    public long fixed() {
        return fixed;
    }

    /**
     * @param stage a searchable stage, from 0
     * @param layer a layer of it, from 0
     * @param op a candidate
     * @return the FLOPs of that block at that layer
     */
    long entry(int stage, int layer, Op op) {
        return entries[stage][layer][Op.CHOICES.indexOf(op)];
    }

    /** @return the fewest FLOPs of any path (every layer at its cheapest candidate) */
    public long minimum() {
        return extreme(false);
    }

    /** @return the most FLOPs of any path */
    public long maximum() {
        return extreme(true);
    }

    private long extreme(boolean most) {
        long total = fixed;
        for (long[][] stage : entries) {
            for (long[] layer : stage) {
                long best = layer[0];
                for (long value : layer) {
                    best = most ? Math.max(best, value) : Math.min(best, value);
                }
                total += best;
            }
        }
        return total;
    }
}
