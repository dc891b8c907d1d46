package dev.creamery.cdarts;

import ai.djl.nn.Block;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.DifferentiableSpace;
import dev.creamery.api.Dimension;
import dev.creamery.api.InvalidArchitectureException;
import dev.creamery.api.MixedNetwork;
import dev.creamery.api.MutationRates;
import dev.creamery.api.Task;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The DARTS cell space (Liu et al., ICLR 2019) as CDARTS searches it: a normal and a reduction cell,
 * each of four nodes that read two different earlier states through one operation each, from the
 * seven operations other than {@code none}; every node is concatenated. A member is a genotype
 * ({@code normal=[op:input, ...] normal_concat=[2,3,4,5] reduce=[...] reduce_concat=[2,3,4,5]}, or
 * the official {@code Genotype(...)} form) and builds the evaluation network of its cells in the
 * configured layout; {@link #relax} gives the search network, every edge a softmax-weighted mixture
 * of all eight operations.
 */
public final class DartsSpace implements DifferentiableSpace {
    private static final List<String> OPS = Genotype.PRIMITIVES.stream().filter(op -> !op.equals("none")).toList();
    private static final List<Integer> CONCAT = IntStream.range(2, 2 + SearchNetwork.NODES).boxed().toList();
    private static final List<String> CELLS = List.of("normal", "reduce");

    private final DartsSpaceSettings settings;
    private final List<Dimension> dimensions;

    /** @param settings the layouts of the evaluation and the search network */
    public DartsSpace(DartsSpaceSettings settings) {
        this.settings = settings;
        List<String> edges = new ArrayList<>();
        for (int input = 0; input < SearchNetwork.NODES + 1; input++) {
            for (String op : OPS) {
                edges.add(op + ":" + input);
            }
        }
        // Every node is concatenated: the concat dimensions list the node states, one value per node.
        dimensions = List.of(Dimension.layers("normal", 2 * SearchNetwork.NODES, edges),
                Dimension.layers("normal_concat", SearchNetwork.NODES, CONCAT), Dimension.layers("reduce", 2 * SearchNetwork.NODES, edges),
                Dimension.layers("reduce_concat", SearchNetwork.NODES, CONCAT));
    }

    @Override
    public List<Dimension> dimensions() {
        return dimensions;
    }

    @Override
    public Complexity complexity(Architecture architecture, Task task) {
        return network(architecture, task).complexity(task);
    }

    @Override
    public Block build(Architecture architecture, Task task) {
        return network(architecture, task);
    }

    private CdartsNet network(Architecture architecture, Task task) {
        validate(architecture);
        return new CdartsNet(Genotype.of(architecture), settings.evaluation(), settings.channels(), task, settings.dropPathRate());
    }

    @Override
    public MixedNetwork relax(Task task) {
        return new SearchNetwork(settings.search(), settings.searchChannels(), task);
    }

    /**
     * @param genotype a genotype of the space
     * @param task the input and the classes
     * @return the evaluation network CDARTS trains beside the search network: the evaluation layout at
     *     the search network's width (so that the two share the distillation heads), without drop path
     */
    CdartsNet searchEvaluationNetwork(Genotype genotype, Task task) {
        return new CdartsNet(genotype, settings.evaluation(), settings.searchChannels(), task, 0);
    }

    /** @return the search network's first node width */
    int searchChannels() {
        return settings.searchChannels();
    }

    /** @return the evaluation network's layout */
    Layout evaluationLayout() {
        return settings.evaluation();
    }

    @Override
    public Architecture sample(Random random) {
        return new Genotype(randomCell(random), CONCAT, randomCell(random), CONCAT).toArchitecture().build();
    }

    private static List<List<Genotype.Edge>> randomCell(Random random) {
        List<List<Genotype.Edge>> nodes = new ArrayList<>();
        for (int n = 0; n < SearchNetwork.NODES; n++) {
            int first = random.nextInt(n + 2);
            int second = random.nextInt(n + 1);
            if (second >= first) {
                second++;
            }
            nodes.add(List.of(new Genotype.Edge(OPS.get(random.nextInt(OPS.size())), first),
                    new Genotype.Edge(OPS.get(random.nextInt(OPS.size())), second)));
        }
        return nodes;
    }

    /** Each edge's operation, and each edge's input (to one the node does not read yet), is redrawn with the choice rate. */
    @Override
    public Architecture mutate(Architecture parent, Random random, MutationRates rates) {
        validate(parent);
        Genotype genotype = Genotype.of(parent);
        while (true) {
            Genotype child = new Genotype(mutate(genotype.normal(), random, rates.choice()), CONCAT,
                    mutate(genotype.reduce(), random, rates.choice()), CONCAT);
            if (!child.equals(genotype)) {
                return child.toArchitecture().build();
            }
        }
    }

    private static List<List<Genotype.Edge>> mutate(List<List<Genotype.Edge>> nodes, Random random, double rate) {
        List<List<Genotype.Edge>> mutated = new ArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
            List<Genotype.Edge> node = new ArrayList<>(nodes.get(n));
            for (int e = 0; e < 2; e++) {
                Genotype.Edge edge = node.get(e);
                String op = random.nextDouble() < rate ? OPS.get(random.nextInt(OPS.size())) : edge.op();
                int input = edge.input();
                if (random.nextDouble() < rate) {
                    int other = node.get(1 - e).input();
                    input = random.nextInt(n + 1);
                    if (input >= other) {
                        input++;
                    }
                }
                node.set(e, new Genotype.Edge(op, input));
            }
            mutated.add(List.copyOf(node));
        }
        return mutated;
    }

    /** Each node of each cell comes from one parent or the other. */
    @Override
    public Optional<Architecture> crossover(Architecture first, Architecture second, Random random) {
        Genotype a = Genotype.of(first);
        Genotype b = Genotype.of(second);
        return Optional.of(new Genotype(cross(a.normal(), b.normal(), random), CONCAT, cross(a.reduce(), b.reduce(), random), CONCAT)
                .toArchitecture().build());
    }

    private static List<List<Genotype.Edge>> cross(List<List<Genotype.Edge>> a, List<List<Genotype.Edge>> b, Random random) {
        return IntStream.range(0, a.size()).mapToObj(n -> random.nextBoolean() ? a.get(n) : b.get(n)).toList();
    }

    @Override
    public void validate(Architecture architecture) {
        for (String cell : CELLS) {
            if (!architecture.has(cell)) {
                throw new InvalidArchitectureException(cell, "'" + cell + "' is missing: a darts member names normal, normal_concat, "
                        + "reduce and reduce_concat");
            }
            List<Object> edges = architecture.getList(cell);
            if (edges.size() != 2 * SearchNetwork.NODES) {
                throw new InvalidArchitectureException(cell, cell + " has " + edges.size() + " edges; a darts cell has "
                        + SearchNetwork.NODES + " nodes of two edges each");
            }
            for (int i = 0; i < edges.size(); i++) {
                String edge = String.valueOf(edges.get(i));
                int node = i / 2;
                if (!dimensions.get(0).candidates().contains(edge)) {
                    throw new InvalidArchitectureException(cell, cell + " edge " + i + " (node " + node + "): '" + edge + "' is not op:input "
                            + "with an op of " + String.join(", ", OPS) + " and an input from 0 to " + SearchNetwork.NODES);
                }
            }
            String concat = cell + "_concat";
            if (!architecture.has(concat) || !IntStream.of(architecture.getIntList(concat)).boxed().toList().equals(CONCAT)) {
                throw new InvalidArchitectureException(concat, concat + " must be " + CONCAT + " (a darts cell concatenates every node)");
            }
        }
        Genotype genotype;
        try {
            genotype = Genotype.of(architecture);
        } catch (IllegalArgumentException e) {
            throw new InvalidArchitectureException("normal", e.getMessage());
        }
        for (String cell : CELLS) {
            List<List<Genotype.Edge>> nodes = cell.equals("normal") ? genotype.normal() : genotype.reduce();
            for (int n = 0; n < nodes.size(); n++) {
                if (nodes.get(n).get(0).input() == nodes.get(n).get(1).input()) {
                    throw new InvalidArchitectureException(cell, cell + " node " + n + " reads state " + nodes.get(n).get(0).input()
                            + " twice; a darts node reads two different states");
                }
            }
        }
    }

    /** Per cell, each node's pair of different inputs times the seven operations on each. */
    @Override
    public BigInteger size() {
        BigInteger cell = BigInteger.ONE;
        for (int n = 0; n < SearchNetwork.NODES; n++) {
            long pairs = (long) (n + 2) * (n + 1) / 2;
            cell = cell.multiply(BigInteger.valueOf(pairs * OPS.size() * OPS.size()));
        }
        return cell.multiply(cell);
    }

    /** Every node pools both cell inputs: no parameters in the nodes. */
    @Override
    public Architecture smallest() {
        return uniform("max_pool_3x3");
    }

    /** Every node applies the 5x5 separable convolution to both cell inputs. */
    @Override
    public Architecture largest() {
        return uniform("sep_conv_5x5");
    }

    private static Architecture uniform(String op) {
        List<List<Genotype.Edge>> nodes = IntStream.range(0, SearchNetwork.NODES)
                .mapToObj(n -> List.of(new Genotype.Edge(op, 0), new Genotype.Edge(op, 1))).toList();
        return new Genotype(nodes, CONCAT, nodes, CONCAT).toArchitecture().build();
    }

    /** @param text the canonical form, or the official {@code Genotype(...)} form */
    @Override
    public Architecture parse(String text) {
        Architecture architecture = text.trim().startsWith("Genotype") ? Genotype.parse(text).toArchitecture().build()
                : Architecture.parse(text);
        validate(architecture);
        return architecture;
    }
}
