package dev.creamery.api;

import ai.djl.nn.Block;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A named set of architectures, described by its {@linkplain #dimensions() dimensions}.
 *
 * <p>Spaces whose members are "one candidate per dimension" extend {@link DimensionSpace}, which
 * samples, mutates and crosses over as AutoFormer and SPOS do; a space whose members are shaped
 * otherwise (a cell genotype) implements this interface itself. {@link #complexity} must be
 * analytic and cheap: strategies call it for every candidate.
 *
 * <p>Optional capabilities are extra interfaces: {@link WeightSharingSpace} (a supernet) and
 * {@link DifferentiableSpace} (mixed operations with architecture parameters).
 */
public interface SearchSpace {
    /**
     * @return the dimensions in a fixed order; a per-layer dimension comes after the dimension that
     *     gives its length
     */
    List<Dimension> dimensions();

    /**
     * @param task the input shape and classes
     * @param architecture a member of this space
     * @return its parameters and FLOPs, counted analytically
     */
    Complexity complexity(Architecture architecture, Task task);

    /**
     * Builds a standalone network for one member, with fresh (uninitialised) parameters. The
     * caller initialises it with {@code block.initialize(manager, DataType.FLOAT32,
     * task.inputShape(1))}.
     *
     * @param architecture a member of this space
     * @param task the input shape and classes
     * @return a block mapping {@code (N, C, H, W)} images to {@code (N, classes)} logits
     */
    Block build(Architecture architecture, Task task);

    /**
     * Draws each dimension independently and uniformly, in order (for a per-layer dimension, one
     * draw per layer) — the sampling of AutoFormer and SPOS, which is not uniform over members.
     *
     * @param random the random source
     * @return a member of this space
     */
    Architecture sample(Random random);

    /**
     * Mutates as AutoFormer's evolution does: each structural dimension is redrawn with probability
     * {@code rates.structure()} (a new depth truncates per-layer lists or extends them with random
     * entries), each choice and each per-layer entry with probability {@code rates.choice()}. Draws
     * are repeated until the result differs from the parent, unless the space has a single member.
     *
     * @param parent a member of this space
     * @param random the random source
     * @param rates the mutation probabilities
     * @return a member of this space that differs from the parent where possible
     */
    Architecture mutate(Architecture parent, Random random, MutationRates rates);

    /**
     * Uniform crossover as in AutoFormer: every entry (each scalar, each layer of a per-layer
     * dimension) comes from one parent or the other with equal chance. Parents whose layer counts
     * differ cannot be crossed; the strategy then picks other parents.
     *
     * @param first a member
     * @param second another member
     * @param random the random source
     * @return the child, or empty if the parents have different layer counts
     */
    Optional<Architecture> crossover(Architecture first, Architecture second, Random random);

    /**
     * Checks membership.
     *
     * @param architecture a candidate
     * @throws InvalidArchitectureException naming the first offending dimension and the allowed
     *     values
     */
    void validate(Architecture architecture);

    /** @return the number of members */
    BigInteger size();

    /** @return the member made of every dimension's first candidate (the smallest network) */
    Architecture smallest();

    /** @return the member made of every dimension's last candidate (the largest network) */
    Architecture largest();

    /**
     * Reads the space's text form of an architecture (the canonical form unless the space has its
     * own notation, like As-ViT's topology strings) and checks membership.
     *
     * @param text the text
     * @return the member
     * @throws IllegalArgumentException if the text is malformed or not a member
     */
    default Architecture parse(String text) {
        Architecture architecture = Architecture.parse(text);
        validate(architecture);
        return architecture;
    }

    /**
     * @param architecture a member
     * @return its text form, read back by {@link #parse}
     */
    default String format(Architecture architecture) {
        return architecture.canonical();
    }
}
