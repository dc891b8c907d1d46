package dev.creamery.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.creamery.api.Architecture;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.api.Variant;
import dev.creamery.api.nn.Module;
import dev.creamery.api.nn.OfficialFamily;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EfficientViT (Liu et al., CVPR 2023), variants {@code efficientvit-m0} to {@code efficientvit-m5} as
 * configured in the official {@code build.py}. Official checkpoints load as they are: their
 * {@code attention_bias_idxs} buffers are checked against the derived index, and pointwise kernels
 * stored as matrices are reshaped as the official loader does.
 *
 * <p>Images are square; a side that is not a multiple of 16 or below the configured minimum is upsampled
 * to the next multiple of 16 at or above both (see {@link EfficientVitSettings}).
 */
public final class EfficientVitFamily extends OfficialFamily {
    /** The patch embedding's four stride-2 convolutions make the official stage sizes exact at multiples of 16. */
    static final int STRIDE = 16;

    private static final Task IMAGENET = Task.square(3, 224, 1000);
    private static final List<Variant> VARIANTS = List.of(
            variant("m0", new int[] {64, 128, 192}, new int[] {1, 2, 3}, new int[] {4, 4, 4}, new int[] {5, 5, 5, 5},
                    "2.3M params, 79M FLOPs, 63.2% top-1"),
            variant("m1", new int[] {128, 144, 192}, new int[] {1, 2, 3}, new int[] {2, 3, 3}, new int[] {7, 5, 3, 3},
                    "3.0M params, 167M FLOPs, 68.4% top-1"),
            variant("m2", new int[] {128, 192, 224}, new int[] {1, 2, 3}, new int[] {4, 3, 2}, new int[] {7, 5, 3, 3},
                    "4.2M params, 201M FLOPs, 70.8% top-1"),
            variant("m3", new int[] {128, 240, 320}, new int[] {1, 2, 3}, new int[] {4, 3, 4}, new int[] {5, 5, 5, 5},
                    "6.9M params, 263M FLOPs, 73.4% top-1"),
            variant("m4", new int[] {128, 256, 384}, new int[] {1, 2, 3}, new int[] {4, 4, 4}, new int[] {7, 5, 3, 3},
                    "8.8M params, 299M FLOPs, 74.3% top-1"),
            variant("m5", new int[] {192, 288, 384}, new int[] {1, 3, 4}, new int[] {3, 3, 4}, new int[] {7, 5, 3, 3},
                    "12.4M params, 522M FLOPs, 77.1% top-1"));

    private final EfficientVitSettings settings;

    /** @param settings the family's settings */
    public EfficientVitFamily(EfficientVitSettings settings) {
        this.settings = settings;
    }

    private static Variant variant(String size, int[] embedDim, int[] depth, int[] numHeads, int[] kernels, String paper) {
        Architecture architecture = new EfficientVitConfig(embedDim, new int[] {16, 16, 16}, depth, numHeads,
                new int[] {7, 7, 7}, kernels).architecture();
        return new Variant("efficientvit-" + size, architecture, IMAGENET,
                "EfficientViT-" + size.toUpperCase(java.util.Locale.ROOT) + ", 224x224 ImageNet-1k (paper: " + paper + ")");
    }

    @Override
    public List<Variant> variants() {
        return VARIANTS;
    }

    @Override
    protected Module network(Architecture architecture, Task task) {
        return new EfficientVit(EfficientVitConfig.of(architecture), task,
                InputSize.of(task, STRIDE, settings.minInputSize(), "efficientvit"), settings.zeroInitResidual() ? 0f : 1f);
    }

    /**
     * Reshapes matrices to the 1x1 convolution kernels the network has under the same name, as the
     * official loader does ({@code d[k][:, :, None, None]}).
     */
    @Override
    protected Map<String, NDArray> adapt(Map<String, NDArray> tensors, Module network, Architecture architecture, Task task) {
        Map<String, Parameter> parameters = StateDict.names(network);
        Map<String, NDArray> adapted = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> {
            Parameter parameter = parameters.get(name);
            Shape shape = tensor.getShape();
            if (parameter != null && shape.dimension() == 2
                    && parameter.getShape().equals(new Shape(shape.get(0), shape.get(1), 1, 1))) {
                adapted.put(name, tensor.reshape(parameter.getShape()));
            } else {
                adapted.put(name, tensor);
            }
        });
        return adapted;
    }
}
