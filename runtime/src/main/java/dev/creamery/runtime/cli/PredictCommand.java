package dev.creamery.runtime.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.creamery.runtime.io.OutputException;
import dev.creamery.runtime.model.ModelResolver;
import dev.creamery.runtime.io.Npy;
import dev.creamery.runtime.model.Predictor;
import dev.creamery.runtime.model.ResolvedModel;
import dev.creamery.api.Task;
import dev.creamery.runtime.train.Engines;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code creamery predict}: runs a model with checkpoint weights on a {@code .npy} batch or on images. */
@Command(name = "predict", description = "Run a model with its weights: --input X.npy --output Y.npy (a normalised float32 NCHW "
        + "batch in, raw logits out), or image files (top-5 classes printed).")
final class PredictCommand implements Callable<Integer> {
    @ParentCommand
    Creamery root;

    @Option(names = "--model", required = true, description = "A variant, family:architecture, or a run's model.json.")
    String model;

    @Option(names = "--weights", required = true, description = "A safetensors file (official state_dict names, or a run's export).")
    Path weights;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Inputs inputs;

    @Option(names = "--overwrite", description = "Replace an existing --output file.")
    boolean overwrite;

    @Option(names = "--threads", description = "Engine threads (default: all cores).", defaultValue = "0")
    int threads;

    @Option(names = "--input-shape", split = ",", paramLabel = "C,H,W", description = "Build a variant or family:architecture "
            + "for images of this shape instead of its own, e.g. a fully convolutional net at another resolution.")
    int[] inputShape;

    static final class Inputs {
        @ArgGroup(exclusive = false)
        Arrays arrays;

        @Parameters(paramLabel = "IMAGE", description = "Image files.")
        List<Path> images;
    }

    static final class Arrays {
        @Option(names = "--input", required = true, description = "A float32 .npy batch (N, C, H, W), already normalised.")
        Path input;

        @Option(names = "--output", required = true, description = "Where to write the logits (N, classes) as float32 .npy.")
        Path output;
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(weights)) {
            throw new UsageException("weights file " + weights + " does not exist");
        }
        ResolvedModel resolved = new ModelResolver(root.registry()).resolve(model);
        if (inputShape != null) {
            resolved = forShape(resolved);
        }
        Engines.threads(threads);
        PrintWriter out = root.spec.commandLine().getOut();
        PrintWriter err = root.spec.commandLine().getErr();
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block;
            try {
                block = resolved.load(weights, manager);
            } catch (IOException e) {
                throw new UsageException(weights + ": cannot be read (" + OutputException.reason(e) + "); check the file and its permissions");
            }
            Predictor predictor = new Predictor(resolved, block);
            if (inputs.arrays != null) {
                return arrays(predictor, manager, out);
            }
            return images(predictor, manager, out, err);
        }
    }

    private ResolvedModel forShape(ResolvedModel resolved) {
        if (inputShape.length != 3) {
            throw new UsageException("--input-shape takes channels,height,width, e.g. --input-shape 3,224,224");
        }
        Task own = resolved.task();
        try {
            return resolved.forTask(new Task(inputShape[0], inputShape[1], inputShape[2], own.classes(), own.classNames()));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--input-shape " + inputShape[0] + "," + inputShape[1] + "," + inputShape[2] + ": " + e.getMessage());
        }
    }

    private int arrays(Predictor predictor, NDManager manager, PrintWriter out) throws IOException {
        Path input = inputs.arrays.input;
        Path output = inputs.arrays.output;
        if (!Files.isRegularFile(input)) {
            throw new UsageException("input file " + input + " does not exist");
        }
        if (Files.exists(output) && !overwrite) {
            throw new UsageException("output file " + output + " already exists; pass --overwrite to replace it");
        }
        NDArray batch;
        try {
            batch = Npy.read(input, manager);
        } catch (IOException e) {
            throw new UsageException(input + ": cannot be read (" + OutputException.reason(e) + "); check the file and its permissions");
        }
        try {
            predictor.check(batch);
        } catch (IllegalArgumentException e) {
            throw new UsageException(input + ": " + e.getMessage() + "; save the batch in that shape");
        }
        NDArray logits = predictor.logits(batch);
        try {
            Npy.write(output, logits);
        } catch (IOException e) {
            throw new OutputException(output, "cannot write the logits", "free space or choose another --output", e);
        }
        out.printf("wrote logits %s for %d input(s) to %s%n", logits.getShape(), logits.getShape().get(0), output);
        return Creamery.OK;
    }

    private int images(Predictor predictor, NDManager manager, PrintWriter out, PrintWriter err) {
        List<String> names = predictor.classNames();
        predictor.imageNormalization();
        int failed = 0;
        for (Path image : inputs.images) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = predictor.preprocess(image, scope);
                float[] probabilities = predictor.logits(x).softmax(1).toFloatArray();
                Integer[] order = new Integer[probabilities.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                java.util.Arrays.sort(order, (a, b) -> Float.compare(probabilities[b], probabilities[a]));
                out.println(image + ":");
                for (int k = 0; k < Math.min(5, order.length); k++) {
                    out.printf(Locale.ROOT, "  %6.2f%%  %s (%d)%n", 100 * probabilities[order[k]], names.get(order[k]), order[k]);
                }
            } catch (IOException | RuntimeException e) {
                err.println("error: cannot read image " + image + ": " + e.getMessage() + "; skipping it");
                failed++;
            }
        }
        return failed == 0 ? Creamery.OK : Creamery.USAGE;
    }
}
