package dev.creamery.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Dimension;
import dev.creamery.api.InvalidArchitectureException;
import dev.creamery.api.MutationRates;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.StateDict;
import dev.creamery.api.Supernet;
import dev.creamery.api.Task;
import dev.creamery.api.WeightSharingSpace;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SearchSpace} must do. Extend it in a test of your plugin and supply the space
 * and the task to build for; spaces with a supernet are checked for that too.
 */
public abstract class SearchSpaceContract {
    /** @return the space under test (a new instance per call is fine) */
    protected abstract SearchSpace space();

    /** @return a task small enough to build the space's networks quickly */
    protected abstract Task task();

    @Test
    void samplesAreMembersAndVary() {
        SearchSpace space = space();
        Random random = new Random(1);
        Set<Architecture> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Architecture sample = space.sample(random);
            space.validate(sample);
            seen.add(sample);
        }
        if (space.size().compareTo(BigInteger.ONE) > 0) {
            assertThat(seen).as("distinct samples out of 50").hasSizeGreaterThan(1);
        }
    }

    @Test
    void mutationChangesSomethingAndStaysValid() {
        SearchSpace space = space();
        Random random = new Random(2);
        for (int i = 0; i < 30; i++) {
            Architecture parent = space.sample(random);
            Architecture child = space.mutate(parent, random, new MutationRates(0.2, 0.4));
            space.validate(child);
            if (space.size().compareTo(BigInteger.ONE) > 0) {
                assertThat(child).as("mutation of " + parent).isNotEqualTo(parent);
            }
        }
    }

    @Test
    void crossoverOfMembersIsAMember() {
        SearchSpace space = space();
        Random random = new Random(3);
        int children = 0;
        for (int i = 0; i < 50; i++) {
            Architecture a = space.sample(random);
            Architecture b = space.sample(random);
            var child = space.crossover(a, b, random);
            if (child.isPresent()) {
                space.validate(child.get());
                children++;
            }
        }
        Architecture a = space.sample(random);
        assertThat(space.crossover(a, a, random)).as("crossing a member with itself").contains(a);
        assertThat(children).isPositive();
    }

    @Test
    void textFormsRoundTrip() {
        SearchSpace space = space();
        Random random = new Random(4);
        for (int i = 0; i < 20; i++) {
            Architecture a = space.sample(random);
            assertThat(space.parse(space.format(a))).isEqualTo(a);
            assertThat(Architecture.parse(a.canonical())).isEqualTo(a);
        }
    }

    @Test
    void nonMemberIsRejectedNamingTheDimension() {
        SearchSpace space = space();
        Dimension first = space.dimensions().get(0);
        Architecture member = space.sample(new Random(5));
        Object bad = "not-a-candidate";
        if (first.isPerLayer()) {
            List<Object> layers = new ArrayList<>(member.getList(first.name()));
            layers.set(0, bad);
            bad = layers;
        }
        Architecture outside = member.toBuilder().put(first.name(), bad).build();
        assertThatThrownBy(() -> space.validate(outside))
                .isInstanceOf(InvalidArchitectureException.class)
                .hasMessageContaining(first.name());
        Architecture missing = member.toBuilder().remove(first.name()).build();
        assertThatThrownBy(() -> space.validate(missing)).isInstanceOf(InvalidArchitectureException.class);
    }

    @Test
    void smallestIsNoLargerThanLargest() {
        SearchSpace space = space();
        space.validate(space.smallest());
        space.validate(space.largest());
        Complexity small = space.complexity(space.smallest(), task());
        Complexity large = space.complexity(space.largest(), task());
        assertThat(small.params()).isPositive().isLessThanOrEqualTo(large.params());
        assertThat(small.flops()).isPositive().isLessThanOrEqualTo(large.flops());
        assertThat(space.complexity(space.largest(), task())).isEqualTo(large);
    }

    @Test
    void builtNetworksHaveTheReportedParametersAndOutputShape() {
        SearchSpace space = space();
        Random random = new Random(6);
        List<Architecture> members = List.of(space.smallest(), space.sample(random), space.largest());
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Architecture member : members) {
                Block block = Blocks.initialize(space.build(member, task()), manager, task());
                assertThat(StateDict.countParameters(block)).as("parameters of " + member)
                        .isEqualTo(space.complexity(member, task()).params());
                NDArray logits = Blocks.forward(block, Blocks.randomInput(manager, task(), 2, 7), false);
                assertThat(logits.getShape().getShape()).containsExactly(2, task().classes());
            }
        }
    }

    @Test
    void supernetMembersMatchTheirExtractedNetworks() {
        if (!(space() instanceof WeightSharingSpace space)) {
            return;
        }
        Random random = new Random(8);
        try (NDManager manager = NDManager.newBaseManager()) {
            Supernet supernet = space.supernet(task());
            Blocks.initialize(supernet.block(), manager, task());
            NDArray input = Blocks.randomInput(manager, task(), 2, 9);
            for (Architecture member : List.of(space.smallest(), space.sample(random), space.largest())) {
                supernet.activate(member);
                assertThat(supernet.active()).isEqualTo(member);
                NDArray shared = Blocks.forward(supernet.block(), input, false);
                Block alone = space.build(member, task());
                Block extracted = supernet.extract(member, manager);
                assertThat(StateDict.countParameters(extracted)).isEqualTo(StateDict.countParameters(Blocks.initialize(alone, manager, task())));
                NDArray standalone = Blocks.forward(extracted, input, false);
                assertThat(standalone.sub(shared).abs().max().getFloat()).as("extracted " + member).isLessThan(1e-4f);
                long active = supernet.activeParameters().stream().mapToLong(p -> p.getArray().size()).sum();
                assertThat(active).isPositive().isGreaterThanOrEqualTo(space.complexity(member, task()).params());
            }
        }
    }
}
