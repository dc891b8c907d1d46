package dev.creamery.api;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;

/**
 * Named networks with named variants ({@code tinyvit-5m}, {@code efficientvit-m0}, ...). A family
 * builds a block for a variant or for any architecture it understands, counts parameters and FLOPs
 * analytically, and loads the paper's official checkpoints.
 *
 * <p>Checkpoints use the official PyTorch {@code state_dict} names: a family's blocks name their
 * children and parameters after the official modules, so that {@link StateDict#names} yields the
 * official names. {@link #fromOfficial} adapts what names alone cannot (dropping buffers the block
 * derives itself, slicing a supernet's tensors).
 */
public interface ModelFamily {
    /** @return the published variants, smallest first */
    List<Variant> variants();

    /**
     * @param name a variant name
     * @return the variant
     * @throws IllegalArgumentException listing the variants if there is none of that name
     */
    default Variant variant(String name) {
        return variants().stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown variant '" + name + "'; known: "
                        + variants().stream().map(Variant::name).toList()));
    }

    /**
     * The task an architecture is built for when the user names none ({@code creamery profile
     * family:architecture}): the images and classes it is made for.
     *
     * @param architecture an architecture of this family
     * @return its task; by default the first variant's
     */
    default Task task(Architecture architecture) {
        return variants().get(0).task();
    }

    /**
     * Reads an architecture given as text after the family name ({@code asvit:8,2,3|4,1,2|...}).
     *
     * @param text the family's notation
     * @return the architecture
     * @throws IllegalArgumentException if the text is malformed, saying which part and what is
     *     allowed
     */
    default Architecture parse(String text) {
        return Architecture.parse(text);
    }

    /**
     * @param architecture a variant's architecture or one from {@link #parse}
     * @param task the input shape and classes
     * @return parameters and FLOPs, counted analytically as the official code counts parameters
     */
    Complexity complexity(Architecture architecture, Task task);

    /**
     * @param architecture a variant's architecture or one from {@link #parse}
     * @param task the input shape and classes
     * @return an uninitialised block mapping {@code (N, C, H, W)} images to {@code (N, classes)} logits
     */
    Block build(Architecture architecture, Task task);

    /**
     * Adapts an official checkpoint to the block {@link #build} makes, before it is loaded by name.
     *
     * @param tensors the checkpoint's tensors by official name, in file order
     * @param architecture what was built
     * @param task the input shape and classes
     * @return the tensors to load, by {@link StateDict} name (by default, unchanged)
     */
    default Map<String, NDArray> fromOfficial(Map<String, NDArray> tensors, Architecture architecture, Task task) {
        return tensors;
    }
}
