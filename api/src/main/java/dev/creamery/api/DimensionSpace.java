package dev.creamery.api;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A space whose members are "one candidate per dimension" (for a per-layer dimension, one per
 * layer): sampling, mutation, crossover, membership, size and the extreme members follow from its
 * {@linkplain #dimensions() dimensions}, as AutoFormer's and SPOS's evolution do them. A space
 * extends it and implements {@link #dimensions}, {@link #complexity} and {@link #build}; one whose
 * members are shaped otherwise (a cell genotype) implements {@link SearchSpace} itself.
 */
public abstract class DimensionSpace implements SearchSpace {
    /**
     * Draws each dimension independently and uniformly, in order (for a per-layer dimension, one
     * draw per layer) — the sampling of AutoFormer and SPOS, which is not uniform over members.
     *
     * @param random the random source
     * @return a member of this space
     */
    @Override
    public Architecture sample(Random random) {
        Architecture.Builder builder = Architecture.builder();
        Map<String, Object> drawn = new HashMap<>();
        for (Dimension dimension : dimensions()) {
            Object value;
            if (dimension.isPerLayer()) {
                int layers = layerCount(dimension, drawn);
                List<Object> list = new ArrayList<>(layers);
                for (int i = 0; i < layers; i++) {
                    list.add(pick(dimension, random));
                }
                value = list;
            } else {
                value = pick(dimension, random);
            }
            drawn.put(dimension.name(), value);
            builder.put(dimension.name(), value);
        }
        return builder.build();
    }

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
    @Override
    public Architecture mutate(Architecture parent, Random random, MutationRates rates) {
        if (size().equals(BigInteger.ONE)) {
            return parent;
        }
        for (int attempt = 0; attempt < 1000; attempt++) {
            Map<String, Object> values = new HashMap<>(parent.values());
            for (Dimension dimension : dimensions()) {
                String name = dimension.name();
                if (dimension.isPerLayer()) {
                    List<Object> list = new ArrayList<>((List<?>) values.get(name));
                    for (int i = 0; i < list.size(); i++) {
                        if (random.nextDouble() < rates.choice()) {
                            list.set(i, pick(dimension, random));
                        }
                    }
                    values.put(name, list);
                } else if (random.nextDouble() < (dimension.isStructural() ? rates.structure() : rates.choice())) {
                    Object value = pick(dimension, random);
                    values.put(name, value);
                    resizeLayers(name, values, random);
                }
            }
            Architecture.Builder builder = Architecture.builder();
            for (Dimension dimension : dimensions()) {
                builder.put(dimension.name(), values.get(dimension.name()));
            }
            Architecture child = builder.build();
            if (!child.equals(parent)) {
                return child;
            }
        }
        return parent;
    }

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
    @Override
    public Optional<Architecture> crossover(Architecture first, Architecture second, Random random) {
        for (Dimension dimension : dimensions()) {
            if (dimension.lengthFrom() != null && !first.get(dimension.lengthFrom()).equals(second.get(dimension.lengthFrom()))) {
                return Optional.empty();
            }
        }
        Architecture.Builder builder = Architecture.builder();
        for (Dimension dimension : dimensions()) {
            String name = dimension.name();
            if (dimension.isPerLayer()) {
                List<Object> a = first.getList(name);
                List<Object> b = second.getList(name);
                List<Object> child = new ArrayList<>(a.size());
                for (int i = 0; i < a.size(); i++) {
                    child.add(random.nextBoolean() ? a.get(i) : b.get(i));
                }
                builder.put(name, child);
            } else {
                builder.put(name, random.nextBoolean() ? first.get(name) : second.get(name));
            }
        }
        return Optional.of(builder.build());
    }

    /**
     * Checks membership.
     *
     * @param architecture a candidate
     * @throws InvalidArchitectureException naming the first offending dimension and the allowed
     *     values
     */
    @Override
    public void validate(Architecture architecture) {
        List<String> expected = dimensions().stream().map(Dimension::name).toList();
        for (String name : architecture.names()) {
            if (!expected.contains(name)) {
                throw new InvalidArchitectureException(name, "unknown dimension '" + name + "'; this space has " + expected);
            }
        }
        for (Dimension dimension : dimensions()) {
            String name = dimension.name();
            if (!architecture.has(name)) {
                throw new InvalidArchitectureException(name, "dimension '" + name + "' is missing; allowed: "
                        + dimension.candidates());
            }
            Object value = architecture.get(name);
            if (dimension.isPerLayer()) {
                if (!(value instanceof List<?> list)) {
                    throw new InvalidArchitectureException(name, "dimension '" + name + "' needs one value per layer, got "
                            + value);
                }
                int layers = dimension.fixedLength() > 0 ? dimension.fixedLength() : architecture.getInt(dimension.lengthFrom());
                if (list.size() != layers) {
                    throw new InvalidArchitectureException(name, "dimension '" + name + "' has " + list.size() + " entries but "
                            + (dimension.fixedLength() > 0 ? "needs " + layers : dimension.lengthFrom() + " = " + layers));
                }
                for (int i = 0; i < list.size(); i++) {
                    if (!dimension.candidates().contains(list.get(i))) {
                        throw new InvalidArchitectureException(name, "dimension '" + name + "' layer " + i + " cannot be "
                                + list.get(i) + "; allowed: " + dimension.candidates());
                    }
                }
            } else if (!dimension.candidates().contains(value)) {
                throw InvalidArchitectureException.notAllowed(name, value, dimension.candidates());
            }
        }
    }

    /** @return the number of members */
    @Override
    public BigInteger size() {
        BigInteger size = BigInteger.ONE;
        for (Dimension dimension : dimensions()) {
            if (dimension.fixedLength() > 0) {
                size = size.multiply(BigInteger.valueOf(dimension.candidates().size()).pow(dimension.fixedLength()));
                continue;
            }
            if (dimension.isPerLayer()) {
                continue;
            }
            List<Dimension> perLayer = dimensions().stream()
                    .filter(d -> dimension.name().equals(d.lengthFrom())).toList();
            if (perLayer.isEmpty()) {
                size = size.multiply(BigInteger.valueOf(dimension.candidates().size()));
                continue;
            }
            BigInteger sum = BigInteger.ZERO;
            for (Object depth : dimension.candidates()) {
                BigInteger term = BigInteger.ONE;
                for (Dimension layer : perLayer) {
                    term = term.multiply(BigInteger.valueOf(layer.candidates().size()).pow(((Long) depth).intValue()));
                }
                sum = sum.add(term);
            }
            size = size.multiply(sum);
        }
        return size;
    }

    /** @return the member made of every dimension's first candidate (the smallest network) */
    @Override
    public Architecture smallest() {
        return extreme(false);
    }

    /** @return the member made of every dimension's last candidate (the largest network) */
    @Override
    public Architecture largest() {
        return extreme(true);
    }

    private Architecture extreme(boolean last) {
        Architecture.Builder builder = Architecture.builder();
        Map<String, Object> chosen = new HashMap<>();
        for (Dimension dimension : dimensions()) {
            List<Object> candidates = dimension.candidates();
            Object value = candidates.get(last ? candidates.size() - 1 : 0);
            if (dimension.isPerLayer()) {
                value = Collections.nCopies(layerCount(dimension, chosen), value);
            }
            chosen.put(dimension.name(), value);
            builder.put(dimension.name(), value);
        }
        return builder.build();
    }

    private void resizeLayers(String lengthDimension, Map<String, Object> values, Random random) {
        for (Dimension dimension : dimensions()) {
            if (!lengthDimension.equals(dimension.lengthFrom())) {
                continue;
            }
            int layers = layerCount(dimension, values);
            List<Object> list = new ArrayList<>((List<?>) values.get(dimension.name()));
            while (list.size() > layers) {
                list.remove(list.size() - 1);
            }
            while (list.size() < layers) {
                list.add(pick(dimension, random));
            }
            values.put(dimension.name(), list);
        }
    }

    private static int layerCount(Dimension dimension, Map<String, Object> values) {
        if (dimension.fixedLength() > 0) {
            return dimension.fixedLength();
        }
        Object length = values.get(dimension.lengthFrom());
        if (!(length instanceof Long count)) {
            throw new IllegalStateException("per-layer dimension '" + dimension.name() + "' must come after the whole-number dimension '"
                    + dimension.lengthFrom() + "' that gives its length");
        }
        return Math.toIntExact(count);
    }

    private static Object pick(Dimension dimension, Random random) {
        List<Object> candidates = dimension.candidates();
        return candidates.get(random.nextInt(candidates.size()));
    }
}
