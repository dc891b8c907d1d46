package dev.creamery.asvit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.creamery.api.Complexity;
import dev.creamery.api.StateDict;
import dev.creamery.api.Task;
import dev.creamery.testkit.Blocks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComplexityTest {
    private final AsVitFamily family = new AsVitFamily();

    /**
     * Parameters as {@code sum(p.numel())} and multiply-accumulates as the thop profile of search/grow.py counts
     * them (custom matmul rule, both average poolings of forward_features), for the official Transformer at 224.
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "8,2,3|4,1,2|4,1,4|4,1,6|32; 2319624; 491595264",
        "8,2,3,5|4,1,2,2|4,1,4,5|4,1,6,2|32,180; 87580820; 22358480640",
        "4,8,2,3|2,4,6,1|3,2,5,2|2,1,3,3|64,36; 3713092; 465543808",
        "7,4,5,2|3,2,2,1|2,1,6,4|3,1,2,1|16,44; 4250080; 934421312",
        "8,2,3,5|4,1,2,1|4,1,4,2|4,1,6,2|32,92; 28324948; 6271726848",
        "8,2,3,4|4,1,2,2|4,1,4,5|4,1,6,1|32,136; 50526080; 12557389312"})
    void equalsTheOfficialCounts(String topology, long params, long flops) {
        assertThat(family.complexity(family.parse(topology), Task.square(3, 224, 1000))).isEqualTo(new Complexity(params, flops));
    }

    @ParameterizedTest
    @CsvSource({"1, 28, 10", "3, 32, 10", "3, 64, 100", "1, 27, 4"})
    void smallTasksBuildAndCountTheirParameters(int channels, int size, int classes) {
        Task task = Task.square(channels, size, classes);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String topology : new String[] {AsVitFamily.SEED, "4,8,2,3|2,4,6,1|3,2,5,2|2,1,3,3|64,36"}) {
                AsVitNetwork network = family.build(family.parse(topology), task);
                Blocks.initialize(network, manager, task);
                assertThat(StateDict.countParameters(network)).isEqualTo(family.complexity(family.parse(topology), task).params());
                assertThat(Blocks.forward(network, Blocks.randomInput(manager, task, 2, 1), false).getShape().getShape())
                        .containsExactly(2, classes);
            }
        }
    }
}
