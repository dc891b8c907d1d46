package dev.creamery.runtime.model;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Module;
import dev.creamery.runtime.train.Engines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a loaded model: on a {@code .npy} batch (already normalised) or on image files,
 * pre-processed as the official evaluation does.
 */
public final class Predictor {
    private static final int BATCH = 64;
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    private final ResolvedModel model;
    private final Block block;

    /**
     * @param model what the block is
     * @param block the loaded block
     */
    public Predictor(ResolvedModel model, Block block) {
        this.model = model;
        this.block = block;
        Module.prepareInference(block);
    }

    /**
     * @param input a float32 batch {@code (N, C, H, W)}, already normalised
     * @return the logits {@code (N, classes)}, in the input's manager
     * @throws IllegalArgumentException if the input has the wrong type or shape (saying what is expected)
     */
    public NDArray logits(NDArray input) {
        check(input);
        long[] shape = input.getShape().getShape();
        NDManager owner = input.getManager();
        return Engines.withoutGradients(() -> {
            List<NDArray> parts = new ArrayList<>();
            for (long start = 0; start < shape[0]; start += BATCH) {
                long end = Math.min(shape[0], start + BATCH);
                try (NDManager step = owner.newSubManager()) {
                    NDArray slice = input.get(start + ":" + end);
                    slice.attach(step);
                    NDArray out = block.forward(new ParameterStore(step, false), new NDList(slice), false).singletonOrThrow();
                    out.attach(owner);
                    parts.add(out);
                }
            }
            return parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts));
        });
    }

    /**
     * @param input a batch for {@link #logits}
     * @throws IllegalArgumentException if it has the wrong type or shape (saying what is expected)
     */
    public void check(NDArray input) {
        Task task = model.task();
        long[] shape = input.getShape().getShape();
        if (input.getDataType() != DataType.FLOAT32 || shape.length != 4 || shape[1] != task.channels() || shape[2] != task.height()
                || shape[3] != task.width()) {
            throw new IllegalArgumentException("expected a float32 array of shape (N, " + task.channels() + ", " + task.height()
                    + ", " + task.width() + ") for " + model.name() + ", got " + input.getDataType() + " " + input.getShape());
        }
    }

    /**
     * Reads and pre-processes one image: for 224-pixel models the timm evaluation (resize the
     * shorter side to 256 with bicubic interpolation, centre-crop 224, ImageNet normalisation);
     * otherwise a direct resize to the model's input size and the normalisation of its training data.
     *
     * @param file the image
     * @param manager owns the result
     * @return the input {@code (1, C, H, W)}
     * @throws IOException if the image cannot be read or decoded
     */
    public NDArray preprocess(Path file, NDManager manager) throws IOException {
        Task task = model.task();
        Image image = ImageFactory.getInstance().fromFile(file);
        NDArray pixels = image.toNDArray(manager, task.channels() == 1 ? Image.Flag.GRAYSCALE : Image.Flag.COLOR);
        if (task.height() == 224 && task.width() == 224) {
            int shorter = 256;
            long h = pixels.getShape().get(0);
            long w = pixels.getShape().get(1);
            int newH = h <= w ? shorter : (int) Math.round(shorter * (double) h / w);
            int newW = h <= w ? (int) Math.round(shorter * (double) w / h) : shorter;
            pixels = NDImageUtils.resize(pixels, newW, newH, Image.Interpolation.BICUBIC);
            pixels = NDImageUtils.centerCrop(pixels, 224, 224);
        } else {
            pixels = NDImageUtils.resize(pixels, task.width(), task.height(), Image.Interpolation.BILINEAR);
        }
        NDArray tensor = NDImageUtils.toTensor(pixels.clip(0, 255));
        float[][] normalization = imageNormalization();
        return NDImageUtils.normalize(tensor, normalization[0], normalization[1]).expandDims(0);
    }

    /**
     * @return the per-channel mean and standard deviation images are normalised with: those of the
     *     model's training data, or ImageNet's for a 3-channel model that records none
     * @throws IllegalArgumentException if the model records none and is not 3-channel
     */
    public float[][] imageNormalization() {
        int channels = model.task().channels();
        return new float[][] {floats(model.mean(), IMAGENET_MEAN, channels), floats(model.std(), IMAGENET_STD, channels)};
    }

    private static float[] floats(List<Double> values, float[] imagenet, int channels) {
        if (values.isEmpty()) {
            if (channels != 3) {
                throw new IllegalArgumentException("the model records no input normalisation for " + channels
                        + "-channel images; pass a normalised .npy batch with --input instead");
            }
            return imagenet;
        }
        float[] result = new float[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = values.get(i).floatValue();
        }
        return result;
    }

    /**
     * @return the class names: the task's, or ImageNet's for unnamed 1000-class models, or numbers
     */
    public List<String> classNames() {
        Task task = model.task();
        if (!task.classNames().isEmpty()) {
            return task.classNames();
        }
        if (task.classes() == 1000) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                    Predictor.class.getResourceAsStream("imagenet-classes.txt"), StandardCharsets.UTF_8))) {
                return reader.lines().toList();
            } catch (IOException e) {
                throw new IllegalStateException("the ImageNet class list is missing from the runtime jar", e);
            }
        }
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < task.classes(); i++) {
            numbers.add("class " + i);
        }
        return numbers;
    }
}
