package dev.creamery.cream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import dev.creamery.api.Architecture;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Macs;
import dev.creamery.api.nn.Module;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Cream's prioritized board: the best paths seen while the supernet trains, kept sorted by their
 * top-1 accuracy on the batch they trained on (ties: more FLOPs first, as the official tuple sort),
 * each with the first {@code slice} images of that batch and the probabilities it was taught there.
 * The entries live in buffers of this module, so the supernet's epoch checkpoints hold the board and a
 * resumed run continues with it.
 *
 * <p>Admission follows the official {@code isUpdate}: any path while the board has room; on a full
 * board a path more than {@code gap} points above the worst entry, or above it with fewer FLOPs. The
 * worst entry then leaves. Entries are never re-scored.
 */
final class Board extends Module {
    /** One entry: accuracy in percent, FLOPs, the path's choice per searchable layer. */
    record Entry(double accuracy, long flops, int[] path) {}

    private static final Comparator<Entry> ORDER = Comparator.comparingDouble(Entry::accuracy)
            .thenComparingLong(Entry::flops).reversed();

    /** The bits of a whole number that a float32 holds exactly. */
    private static final int FLOAT_BITS = 24;

    private final int capacity;
    private final double gap;
    private final List<Integer> depths;
    private final Parameter size;
    private final Parameter accuracy;
    private final Parameter flops;
    private final Parameter paths;
    private final Parameter images;
    private final Parameter probabilities;
    private final List<Entry> entries = new ArrayList<>();

    Board(int capacity, double gap, List<Integer> depths, int slice, Task task) {
        this.capacity = capacity;
        this.gap = gap;
        this.depths = List.copyOf(depths);
        int layers = depths.stream().mapToInt(Integer::intValue).sum();
        size = buffer("size", new Shape(1));
        accuracy = buffer("accuracy", new Shape(capacity));
        flops = buffer("flops", new Shape(capacity, 2));
        paths = buffer("paths", new Shape(capacity, layers));
        images = buffer("images", new Shape(capacity, slice, task.channels(), task.height(), task.width()));
        probabilities = buffer("probabilities", new Shape(capacity, slice, task.classes()));
    }

    private Parameter buffer(String name, Shape shape) {
        return parameter(name, Parameter.Type.OTHER, shape, Initializer.ZEROS, false);
    }

    /** @return the entries, best first */
    List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * @param accuracy top-1 accuracy in percent on the step's batch
     * @param flops the path's FLOPs
     * @return whether the official rule admits the path
     */
    boolean admits(double accuracy, long flops) {
        if (entries.size() < capacity) {
            return true;
        }
        Entry worst = entries.get(entries.size() - 1);
        return accuracy > worst.accuracy() + gap || accuracy > worst.accuracy() && flops < worst.flops();
    }

    /**
     * Enters a path the rule admits, and drops the worst entry if the board overflows.
     *
     * @param entry the path, its accuracy and FLOPs
     * @param imageSlice {@code (slice, C, H, W)}: the first images of its batch
     * @param probabilitySlice {@code (slice, classes)}: what it was taught on them
     */
    void admit(Entry path, NDArray imageSlice, NDArray probabilitySlice) {
        // As the buffer keeps it, so that a resumed run compares the same numbers.
        Entry entry = new Entry((float) path.accuracy(), path.flops(), path.path());
        int at = 0;
        while (at < entries.size() && ORDER.compare(entries.get(at), entry) <= 0) {
            at++;
        }
        int kept = Math.min(entries.size(), capacity - 1);
        if (at >= capacity) {
            return;
        }
        shift(images.getArray(), at, kept);
        shift(probabilities.getArray(), at, kept);
        images.getArray().set(new NDIndex(at), imageSlice);
        probabilities.getArray().set(new NDIndex(at), probabilitySlice);
        entries.add(at, entry);
        if (entries.size() > capacity) {
            entries.remove(entries.size() - 1);
        }
        writeScalars();
    }

    /** Moves rows {@code [at, kept)} one down, within the capacity. */
    private static void shift(NDArray table, int at, int kept) {
        if (kept > at) {
            try (NDArray rows = table.get(new NDIndex(at + ":" + kept))) {
                table.set(new NDIndex((at + 1) + ":" + (kept + 1)), rows.duplicate());
            }
        }
    }

    private void writeScalars() {
        float[] acc = new float[capacity];
        float[] flop = new float[capacity * 2];
        int layers = (int) paths.getArray().getShape().get(1);
        float[] path = new float[capacity * layers];
        for (int i = 0; i < entries.size(); i++) {
            acc[i] = (float) entries.get(i).accuracy();
            // Two 24-bit halves, each exact in float32.
            flop[2 * i] = entries.get(i).flops() >>> FLOAT_BITS;
            flop[2 * i + 1] = entries.get(i).flops() & ((1L << FLOAT_BITS) - 1);
            for (int j = 0; j < layers; j++) {
                path[i * layers + j] = entries.get(i).path()[j];
            }
        }
        NDManager manager = size.getArray().getManager();
        set(size, manager.create(new float[] {entries.size()}));
        set(accuracy, manager.create(acc));
        set(flops, manager.create(flop, flops.getArray().getShape()));
        set(paths, manager.create(path, paths.getArray().getShape()));
    }

    private static void set(Parameter parameter, NDArray values) {
        try (values) {
            parameter.getArray().set(new NDIndex(":"), values.toDevice(parameter.getArray().getDevice(), false));
        }
    }

    /** Reads the entries back from the buffers, after a checkpoint restored them. */
    void reload() {
        entries.clear();
        int count = (int) size.getArray().getFloat(0);
        float[] acc = accuracy.getArray().toFloatArray();
        float[] flop = flops.getArray().toFloatArray();
        float[] path = paths.getArray().toFloatArray();
        int layers = (int) paths.getArray().getShape().get(1);
        for (int i = 0; i < count; i++) {
            int[] choices = new int[layers];
            for (int j = 0; j < layers; j++) {
                choices[j] = Math.round(path[i * layers + j]);
            }
            entries.add(new Entry(acc[i], ((long) flop[2 * i] << FLOAT_BITS) + (long) flop[2 * i + 1], choices));
        }
    }

    /**
     * @param scope owns the result
     * @return the images of every entry, {@code (entries, slice, C, H, W)}
     */
    NDArray images(NDManager scope) {
        NDArray rows = images.getArray().get(new NDIndex("0:" + entries.size()));
        rows.attach(scope);
        return rows;
    }

    /**
     * @param scope owns the result
     * @return the probabilities of every entry, {@code (entries, slice, classes)}
     */
    NDArray probabilities(NDManager scope) {
        NDArray rows = probabilities.getArray().get(new NDIndex("0:" + entries.size()));
        rows.attach(scope);
        return rows;
    }

    /**
     * @param i an entry's rank
     * @param scope owns the result
     * @return its images, {@code (slice, C, H, W)}
     */
    NDArray images(int i, NDManager scope) {
        NDArray row = images.getArray().get(i);
        row.attach(scope);
        return row;
    }

    /**
     * @param i an entry's rank
     * @param scope owns the result
     * @return the probabilities it was taught on its images, {@code (slice, classes)}
     */
    NDArray probabilities(int i, NDManager scope) {
        NDArray row = probabilities.getArray().get(i);
        row.attach(scope);
        return row;
    }

    /**
     * @param path choice indices per searchable layer, stage by stage
     * @return the architecture
     */
    Architecture architecture(int[] path) {
        List<List<Op>> stages = new ArrayList<>();
        int k = 0;
        for (int depth : depths) {
            List<Op> ops = new ArrayList<>();
            for (int j = 0; j < depth; j++) {
                ops.add(Op.choice(path[k++]));
            }
            stages.add(ops);
        }
        return Layout.architecture(stages);
    }

    /** @return choice indices per searchable layer of a member */
    static int[] path(Architecture architecture) {
        return Layout.blocks(architecture).stream().flatMap(List::stream).mapToInt(Op.CHOICES::indexOf).toArray();
    }

    /** Never called: the board is a module only so that checkpoints carry its buffers; {@link CreamTraining} forwards the supernet alone. */
    @Override
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        throw new UnsupportedOperationException("the board holds state; it does not run");
    }

    @Override
    public Shape trace(Shape input, Macs macs) {
        return input;
    }
}
