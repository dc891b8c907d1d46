package dev.creamery.cdarts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.api.Architecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official genotype form and cell files read, print and round-trip; malformed ones say where and what is expected. */
class GenotypeTest {
    private static final String CIFAR = CdartsFamily.CIFAR_CELL.toString();

    @Test
    void theOfficialFormRoundTrips() {
        assertThat(CIFAR).startsWith("Genotype(normal=[[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], [('sep_conv_3x3', 1), "
                + "('sep_conv_3x3', 2)], ").endsWith("reduce_concat=range(2, 6))");
        assertThat(Genotype.parse(CIFAR)).isEqualTo(CdartsFamily.CIFAR_CELL);
        assertThat(CdartsFamily.CIFAR_CELL.reduce().get(1)).containsExactly(new Genotype.Edge("dil_conv_5x5", 2),
                new Genotype.Edge("skip_connect", 0));
        assertThat(CdartsFamily.IMAGENET_CELL.reduce().get(3)).containsExactly(new Genotype.Edge("sep_conv_3x3", 3),
                new Genotype.Edge("dil_conv_3x3", 4));
    }

    /** Files written by other searches list the concat and space their tuples as they please. */
    @Test
    void listConcatsAndAnySpacingRead() {
        Genotype tight = Genotype.parse("Genotype(normal=[[('skip_connect', 0),('sep_conv_3x3', 1)], [('sep_conv_3x3',0), "
                + "('dil_conv_5x5', 2)]], normal_concat=[2, 3], reduce=[[(\"max_pool_3x3\", 0), ('avg_pool_3x3', 1)]], "
                + "reduce_concat=[2])");
        assertThat(tight.normal()).hasSize(2);
        assertThat(tight.normalConcat()).containsExactly(2, 3);
        assertThat(tight.toString()).isEqualTo("Genotype(normal=[[('skip_connect', 0), ('sep_conv_3x3', 1)], [('sep_conv_3x3', 0), "
                + "('dil_conv_5x5', 2)]], normal_concat=range(2, 4), reduce=[[('max_pool_3x3', 0), ('avg_pool_3x3', 1)]], "
                + "reduce_concat=range(2, 3))");
        Genotype gapped = Genotype.parse(tight.toString().replace("normal_concat=range(2, 4)", "normal_concat=[3, 2]"));
        assertThat(gapped.toString()).contains("normal_concat=[3, 2]");
    }

    @Test
    void theArchitectureFormRoundTrips() {
        Architecture architecture = CdartsFamily.architecture(CdartsFamily.IMAGENET_CELL, Layout.IMAGENET, 48);
        assertThat(architecture.canonical()).contains("layout=imagenet", "channels=48",
                "normal=[sep_conv_3x3:1,sep_conv_3x3:0,sep_conv_3x3:0,sep_conv_5x5:2,", "reduce_concat=[2,3,4,5]");
        CdartsFamily family = new CdartsFamily(new CdartsSettings(0));
        assertThat(family.parse(architecture.canonical())).isEqualTo(architecture);
        assertThat(Genotype.of(architecture)).isEqualTo(CdartsFamily.IMAGENET_CELL);
        assertThat(family.parse(CdartsFamily.IMAGENET_CELL + " layout=imagenet channels=48")).isEqualTo(architecture);
        assertThat(family.parse(CIFAR)).isEqualTo(family.variant("cdarts-cifar").architecture());
    }

    @Test
    void malformedGenotypesSayWhereAndWhatIsExpected() {
        assertThatThrownBy(() -> Genotype.parse(CIFAR.replace("normal_concat=range(2, 6)", "normal_concat=range(2 6)")))
                .hasMessageStartingWith("genotype: expected ',' at character 217, found '6), reduce=[[('sep_c...'; the form is Genotype(");
        assertThatThrownBy(() -> Genotype.parse("Genotype(normal=[[('sep_conv_3x3', 0)]]"))
                .hasMessageStartingWith("genotype: expected ',' at character 40, found the end;");
        assertThatThrownBy(() -> Genotype.parse(CIFAR.replace("('skip_connect', 2)", "('conv_7x1_1x7', 2)")))
                .hasMessage("genotype: normal node 3: 'conv_7x1_1x7' is not an operation of the space; use one of max_pool_3x3, "
                        + "avg_pool_3x3, skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5, none");
        assertThatThrownBy(() -> Genotype.parse(CIFAR.replace("[('sep_conv_3x3', 1), ('sep_conv_3x3', 2)]",
                "[('sep_conv_3x3', 1), ('sep_conv_3x3', 3)]")))
                .hasMessage("genotype: normal node 1: input 3 is not an earlier state; node 1 reads states 0 to 2 (0 and 1 the cell's "
                        + "inputs, then the nodes)");
        assertThatThrownBy(() -> Genotype.parse(CIFAR.replace("reduce_concat=range(2, 6)", "reduce_concat=range(2, 7)")))
                .hasMessage("genotype: reduce_concat [2, 3, 4, 5, 6] must list states 0 to 5");
    }

    @Test
    void cellFilesGiveOneGenotype(@TempDir Path dir) throws IOException {
        String quoted = CIFAR.replace("\"", "\\\"");
        Path same = Files.writeString(dir.resolve("cifar_genotype.json"),
                "{\"0\": \"" + quoted + "\", \"1\": \"" + quoted + "\", \"2\": \"" + quoted + "\"}");
        assertThat(Genotype.readCellFile(same)).isEqualTo(CdartsFamily.CIFAR_CELL);
        CdartsFamily family = new CdartsFamily(new CdartsSettings(0));
        assertThat(family.parse(same + " channels=16").getInt("channels")).isEqualTo(16);

        Path differing = Files.writeString(dir.resolve("mixed.json"), "{\"0\": \"" + quoted + "\", \"1\": \""
                + CdartsFamily.IMAGENET_CELL + "\"}");
        assertThatThrownBy(() -> Genotype.readCellFile(differing)).hasMessage(differing + " gives its layers different genotypes; the "
                + "cdarts family builds one genotype for all layers, as the published cells have");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"0\": \"Genotype(normal=[\"}");
        assertThatThrownBy(() -> Genotype.readCellFile(broken)).hasMessageStartingWith(broken + ", layer \"0\": genotype: expected '['");
        assertThatThrownBy(() -> family.parse(CIFAR + " depth=3"))
                .hasMessage("after the genotype only layout=cifar|imagenet and channels=N may follow, got 'depth'");
    }

    @Test
    void everyOperationBuildsWithTheOfficialShapes() {
        for (String op : List.of("max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3",
                "dil_conv_5x5", "none")) {
            for (int stride : new int[] {1, 2}) {
                var shape = CellOps.of(op, 8, stride, true).trace(new ai.djl.ndarray.types.Shape(2, 8, 6, 6), new dev.creamery.api.nn.Macs());
                assertThat(shape).as(op + " stride " + stride).isEqualTo(new ai.djl.ndarray.types.Shape(2, 8, 6 / stride, 6 / stride));
            }
        }
    }
}
