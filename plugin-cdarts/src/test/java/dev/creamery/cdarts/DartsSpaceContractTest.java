package dev.creamery.cdarts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.api.Architecture;
import dev.creamery.api.InvalidArchitectureException;
import dev.creamery.api.SearchSpace;
import dev.creamery.api.Task;
import dev.creamery.testkit.SearchSpaceContract;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The darts space keeps the space contract, reads both genotype forms and refuses what is not a darts cell. */
class DartsSpaceContractTest extends SearchSpaceContract {
    static final DartsSpaceSettings SMALL = new DartsSpaceSettings(List.of(1, 1, 1), 4, 0.2, List.of(1, 1, 1), 4);

    @Override
    protected SearchSpace space() {
        return new DartsSpace(SMALL);
    }

    @Override
    protected Task task() {
        return Task.square(1, 12, 4);
    }

    @Test
    void theDefaultsAreTheOfficialLayouts() {
        DartsSpaceSettings defaults = ReferenceConf.space();
        assertThat(defaults.cells()).containsExactly(7, 7, 6);
        assertThat(defaults.channels()).isEqualTo(36);
        assertThat(defaults.searchCells()).containsExactly(3, 3, 2);
        assertThat(defaults.searchChannels()).isEqualTo(16);
        // CDARTS's published CIFAR cell is a member, and builds the cdarts-cifar network at the defaults.
        DartsSpace space = new DartsSpace(defaults);
        Architecture cell = space.parse(CdartsFamily.CIFAR_CELL.toString());
        assertThat(Genotype.of(cell)).isEqualTo(CdartsFamily.CIFAR_CELL);
        assertThat(space.complexity(cell, Task.square(3, 32, 10)).params()).isEqualTo(3_859_318L);
    }

    @Test
    void sizeCountsPairsOfInputsAndOperations() {
        // Per cell: nodes read 1, 3, 6 and 10 pairs of states, each edge one of 7 operations.
        BigInteger cell = BigInteger.valueOf(1L * 3 * 6 * 10).multiply(BigInteger.valueOf(49).pow(4));
        assertThat(space().size()).isEqualTo(cell.multiply(cell));
    }

    @Test
    void theOfficialAndCanonicalFormsAreTheSameMember() {
        SearchSpace space = space();
        Architecture member = space.sample(new java.util.Random(9));
        Architecture read = space.parse(Genotype.of(member).toString());
        assertThat(read).isEqualTo(member);
        assertThat(space.parse(space.format(member))).isEqualTo(member);
    }

    @Test
    void whatIsNotADartsCellIsRefusedSayingWhy() {
        SearchSpace space = space();
        String none = CdartsFamily.CIFAR_CELL.toString().replaceFirst("'sep_conv_3x3', 0", "'none', 0");
        assertThatThrownBy(() -> space.parse(none)).isInstanceOf(InvalidArchitectureException.class)
                .hasMessageContaining("normal edge 0 (node 0): 'none:0' is not op:input");
        String twice = CdartsFamily.CIFAR_CELL.toString().replaceFirst("\\('sep_conv_3x3', 1\\)", "('sep_conv_3x3', 0)");
        assertThatThrownBy(() -> space.parse(twice)).isInstanceOf(InvalidArchitectureException.class)
                .hasMessage("normal node 0 reads state 0 twice; a darts node reads two different states");
        String unknown = CdartsFamily.CIFAR_CELL.toString().replaceFirst("sep_conv_3x3", "conv_7x1_1x7");
        assertThatThrownBy(() -> space.parse(unknown)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'conv_7x1_1x7' is not an operation of the space");
        assertThatThrownBy(() -> space.parse("Genotype(normal=[[('sep_conv_3x3', 0)")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected ']' at character 38, found the end");
        Architecture short_ = space.smallest().toBuilder().put("reduce_concat", List.of(2, 3, 4)).build();
        assertThatThrownBy(() -> space.validate(short_)).isInstanceOf(InvalidArchitectureException.class)
                .hasMessage("reduce_concat must be [2, 3, 4, 5] (a darts cell concatenates every node)");
    }
}
