package dev.creamery.cdarts;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.creamery.api.Architecture;
import dev.creamery.api.MixedNetwork;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.api.nn.Module;
import dev.creamery.testkit.Blocks;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The relaxed network: mixtures are weighted sums, parameters split cleanly, and the derived genotype is the official parse of α. */
class SearchNetworkTest {
    private static final Task TASK = Task.square(1, 12, 4);

    @Test
    void aMixedOpIsTheWeightedSumOfItsOperations() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int stride : new int[] {1, 2}) {
                MixedOp mixed = new MixedOp(4, stride);
                mixed.initialize(manager, DataType.FLOAT64, new Shape(2, 4, 6, 6));
                NDArray x = manager.randomNormal(new Shape(2, 4, 6, 6)).toType(DataType.FLOAT64, false);
                NDArray weights = manager.randomUniform(0, 1, new Shape(8)).toType(DataType.FLOAT64, false);
                weights = weights.div(weights.sum());
                ParameterStore store = new ParameterStore(manager, false);
                NDArray expected = null;
                for (int i = 0; i < Genotype.PRIMITIVES.size(); i++) {
                    Module op = CellOps.of(Genotype.PRIMITIVES.get(i), 4, stride, false);
                    op.initialize(manager, DataType.FLOAT64, new Shape(2, 4, 6, 6));
                    // The same weights as the mixture's operation i.
                    Map<String, NDArray> tensors = new TreeMap<>();
                    String prefix = "_ops." + i + ".";
                    StateDict.tensors(mixed).forEach((name, value) -> {
                        if (name.startsWith(prefix)) {
                            tensors.put(name.substring(prefix.length()), value);
                        }
                    });
                    StateDict.load(op, tensors, "the mixture");
                    NDArray term = op.apply(store, x, true).mul(weights.getDouble(i));
                    expected = expected == null ? term : expected.add(term);
                }
                NDArray actual = mixed.apply(store, x, weights, true);
                assertThat(actual.getShape()).isEqualTo(expected.getShape());
                assertThat(actual.sub(expected).abs().max().getDouble()).as("stride " + stride).isLessThan(1e-12);
            }
        }
    }

    @Test
    void weightsAndArchitectureParametersSplitTheLearnableTensors() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MixedNetwork network = new DartsSpace(DartsSpaceContractTest.SMALL).relax(TASK);
            Blocks.initialize(network.block(), manager, TASK);
            List<Parameter> alphas = network.architectureParameters();
            assertThat(alphas).hasSize(8).allSatisfy(a -> assertThat(a.getArray().getShape().get(1)).isEqualTo(8));
            assertThat(alphas.stream().map(a -> a.getArray().getShape().get(0))).containsExactly(2L, 3L, 4L, 5L, 2L, 3L, 4L, 5L);
            // Drawn from 1e-3 N(0, 1), as the official add_architecture_params.
            double spread = alphas.stream().mapToDouble(a -> a.getArray().abs().max().getFloat()).max().orElseThrow();
            assertThat(spread).isPositive().isLessThan(6e-3);
            Set<Parameter> weights = new HashSet<>(network.weights());
            assertThat(weights).doesNotContainAnyElementsOf(alphas);
            Set<Parameter> all = new HashSet<>(weights);
            all.addAll(alphas);
            assertThat(all).containsExactlyInAnyOrderElementsOf(
                    StateDict.names(network.block()).values().stream().filter(Parameter::requiresGradient).toList());
            // Search cells have no affine batch norms: no weight or bias under any mixed operation's norm.
            assertThat(StateDict.names(network.block()).keySet()).noneMatch(n -> n.contains("_ops.") && n.endsWith(".3.weight"));
            NDArray logits = Blocks.forward(network.block(), Blocks.randomInput(manager, TASK, 2, 3), true);
            assertThat(logits.getShape().getShape()).containsExactly(2, 4);
        }
    }

    @Test
    void theDerivedGenotypeKeepsEachNodesTwoStrongestEdgesWithoutNone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SearchNetwork network = (SearchNetwork) new DartsSpace(DartsSpaceContractTest.SMALL).relax(TASK);
            Blocks.initialize(network, manager, TASK);
            // Node 0: none is strongest on input 1 but never chosen; input 0's sep_conv_5x5 beats input 1's avg_pool.
            set(network.alphaNormal().get(0), new float[][] {row("sep_conv_5x5", 2f), row("none", 5f, "avg_pool_3x3", 1f)});
            // Node 1: input 2 (skip) and input 0 (dil_conv_3x3) are strongest, in that order; input 1 is weaker.
            set(network.alphaNormal().get(1), new float[][] {row("dil_conv_3x3", 2f), row("max_pool_3x3", 1f), row("skip_connect", 3f)});
            for (int n = 2; n < 4; n++) {
                float[][] rows = new float[n + 2][];
                for (int i = 0; i < n + 2; i++) {
                    rows[i] = row("sep_conv_3x3", i == n + 1 ? 4f : i == 0 ? 3f : 0f);
                }
                set(network.alphaNormal().get(n), rows);
                set(network.alphaReduce().get(n), rows);
            }
            set(network.alphaReduce().get(0), new float[][] {row("max_pool_3x3", 1f), row("sep_conv_3x3", 2f)});
            set(network.alphaReduce().get(1), new float[][] {row("dil_conv_5x5", 3f), row("avg_pool_3x3", 2f), row("none", 9f)});
            Genotype derived = Genotype.of(network.derive());
            assertThat(derived.normal()).containsExactly(
                    List.of(edge("sep_conv_5x5", 0), edge("avg_pool_3x3", 1)),
                    List.of(edge("skip_connect", 2), edge("dil_conv_3x3", 0)),
                    List.of(edge("sep_conv_3x3", 3), edge("sep_conv_3x3", 0)),
                    List.of(edge("sep_conv_3x3", 4), edge("sep_conv_3x3", 0)));
            assertThat(derived.reduce().get(0)).containsExactly(edge("sep_conv_3x3", 1), edge("max_pool_3x3", 0));
            assertThat(derived.reduce().get(1).get(0)).isEqualTo(edge("dil_conv_5x5", 0));
            assertThat(derived.normalConcat()).containsExactly(2, 3, 4, 5);

            // The evaluation network built for the derived member is the genotype's. In the 1, 1, 1 layout the
            // first two cells reduce (width 8) and the last is normal (width 16); edges keep the genotype's order.
            DartsSpace space = new DartsSpace(DartsSpaceContractTest.SMALL);
            Architecture member = network.derive();
            space.validate(member);
            Map<String, Shape> shapes = new TreeMap<>();
            StateDict.names(Blocks.initialize(space.build(member, TASK), manager, TASK))
                    .forEach((n, p) -> shapes.put(n, p.getArray().getShape()));
            assertThat(shapes).containsEntry("nas_layers.2.0.dag.0.0.0.net.0.net.1.weight", new Shape(16, 1, 5, 5))
                    .containsEntry("nas_layers.2.0.dag.1.1.0.net.1.weight", new Shape(16, 1, 3, 3))
                    .containsEntry("nas_layers.0.0.dag.0.0.0.net.0.net.1.weight", new Shape(8, 1, 3, 3))
                    .containsEntry("nas_layers.0.0.dag.1.0.0.net.1.weight", new Shape(8, 1, 5, 5));
            // Pools and the skip connection between nodes hold no tensors.
            assertThat(shapes.keySet()).noneMatch(n -> n.startsWith("nas_layers.2.0.dag.0.1.") || n.startsWith("nas_layers.2.0.dag.1.0.")
                    || n.startsWith("nas_layers.0.0.dag.0.1."));
        }
    }

    private static Genotype.Edge edge(String op, int input) {
        return new Genotype.Edge(op, input);
    }

    /** A row of α: 0 everywhere but the given operations. */
    private static float[] row(Object... opsAndValues) {
        float[] row = new float[Genotype.PRIMITIVES.size()];
        for (int i = 0; i < opsAndValues.length; i += 2) {
            row[Genotype.PRIMITIVES.indexOf((String) opsAndValues[i])] = (Float) opsAndValues[i + 1];
        }
        return row;
    }

    private static void set(Parameter alpha, float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[i].length, rows[i].length);
        }
        try (NDManager scope = NDManager.newBaseManager()) {
            StateDict.copy(scope.create(flat, new Shape(rows.length, rows[0].length)), alpha.getArray());
        }
    }
}
