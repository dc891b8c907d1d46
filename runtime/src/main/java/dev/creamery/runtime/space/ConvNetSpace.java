package dev.creamery.runtime.space;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Dimension;
import dev.creamery.api.DimensionSpace;
import dev.creamery.api.Supernet;
import dev.creamery.api.Task;
import dev.creamery.api.WeightSharingSpace;
import dev.creamery.api.nn.AbstractSupernet;
import java.util.Collection;
import java.util.List;

/**
 * The built-in {@code convnet} space: a small convolutional network with a searchable depth and a
 * searchable width and kernel size per layer, whose members share weights. Real spaces come from
 * plugins; this one exercises the runtime end to end (one-shot training, evolution, extraction)
 * without any.
 */
public final class ConvNetSpace extends DimensionSpace implements WeightSharingSpace {
    private final Settings settings;
    private final List<Dimension> dimensions;

    /**
     * @param depths candidate numbers of layers after the stem
     * @param widths candidate output channels per layer
     * @param kernels candidate (odd) kernel sizes per layer
     * @param stem channels of the fixed stem convolution
     */
    public record Settings(List<Integer> depths, List<Integer> widths, List<Integer> kernels, int stem) {
        /** Checks the candidates. */
        public Settings {
            if (depths.isEmpty() || widths.isEmpty() || kernels.isEmpty()) {
                throw new IllegalArgumentException("depths, widths and kernels need at least one candidate each");
            }
            if (depths.stream().anyMatch(d -> d < 1) || widths.stream().anyMatch(w -> w < 1) || stem < 1) {
                throw new IllegalArgumentException("depths, widths and stem must be >= 1");
            }
            if (kernels.stream().anyMatch(k -> k < 1 || k % 2 == 0)) {
                throw new IllegalArgumentException("kernels must be odd and >= 1, got " + kernels);
            }
            depths = depths.stream().sorted().toList();
            widths = widths.stream().sorted().toList();
            kernels = kernels.stream().sorted().toList();
        }
    }

    /** @param settings the candidates */
    public ConvNetSpace(Settings settings) {
        this.settings = settings;
        this.dimensions = List.of(Dimension.structural("depth", settings.depths()),
                Dimension.perLayer("width", "depth", settings.widths()),
                Dimension.perLayer("kernel", "depth", settings.kernels()));
    }

    @Override
    public List<Dimension> dimensions() {
        return dimensions;
    }

    @Override
    public Complexity complexity(Architecture architecture, Task task) {
        validate(architecture);
        int[] widths = architecture.getIntList("width");
        int[] kernels = architecture.getIntList("kernel");
        long h = task.height();
        long w = task.width();
        long params = (long) settings.stem() * task.channels() * 9 + 3L * settings.stem();
        long flops = h * w * settings.stem() * task.channels() * 9;
        long in = settings.stem();
        for (int i = 0; i < widths.length; i++) {
            if (i < 2) {
                h = (h - 1) / 2 + 1;
                w = (w - 1) / 2 + 1;
            }
            long k2 = (long) kernels[i] * kernels[i];
            params += in * widths[i] * k2 + 3L * widths[i];
            flops += h * w * widths[i] * in * k2;
            in = widths[i];
        }
        params += in * task.classes() + task.classes();
        flops += in * task.classes();
        return new Complexity(params, flops);
    }

    @Override
    public Block build(Architecture architecture, Task task) {
        validate(architecture);
        return new ConvNetBlock(task.channels(), settings.stem(), architecture.getIntList("width"), architecture.getIntList("kernel"),
                task.classes());
    }

    @Override
    public Supernet supernet(Task task) {
        int depth = settings.depths().get(settings.depths().size() - 1);
        int[] widths = new int[depth];
        int[] kernels = new int[depth];
        java.util.Arrays.fill(widths, settings.widths().get(settings.widths().size() - 1));
        java.util.Arrays.fill(kernels, settings.kernels().get(settings.kernels().size() - 1));
        return new Shared(this, new ConvNetBlock(task.channels(), settings.stem(), widths, kernels, task.classes()), task);
    }

    /** The supernet: one network at the largest depth, widths and kernels; a member uses leading channels and centre taps. */
    private static final class Shared extends AbstractSupernet<ConvNetBlock> {
        Shared(ConvNetSpace space, ConvNetBlock block, Task task) {
            super(space, block, task);
        }

        @Override
        protected void select(Architecture member) {
            network().activate(member.getInt("depth"), member.getIntList("width"), member.getIntList("kernel"));
        }

        @Override
        protected Collection<Parameter> selectedParameters() {
            return network().activeParameters();
        }

        @Override
        protected void copySelected(Block member, NDManager scratch) {
            network().copyActiveInto((ConvNetBlock) member, scratch);
        }
    }
}
