package dev.creamery.runtime.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.api.Architecture;
import dev.creamery.testkit.Generated;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The run folder's JSON form of an architecture keeps its order and its values exactly. */
class ArchitectureJsonTest {
    @Test
    void writesKeysInOrderAndReadsThemBack() {
        Architecture sample = Architecture.parse("depth=3 mlp_ratio=[3.5,4,3] embed_dim=192 act=gelu shared=true");
        assertThat(ArchitectureJson.write(sample).toString())
                .isEqualTo("{\"depth\":3,\"mlp_ratio\":[3.5,4,3],\"embed_dim\":192,\"act\":\"gelu\",\"shared\":true}");
        assertThat(ArchitectureJson.read(ArchitectureJson.write(sample).toString())).isEqualTo(sample);
        Architecture big = Architecture.of("n", Long.MAX_VALUE, "m", List.of(Long.MIN_VALUE));
        assertThat(ArchitectureJson.read(ArchitectureJson.write(big))).isEqualTo(big);
        assertThatThrownBy(() -> ArchitectureJson.read("[1, 2]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("an architecture is a JSON object");
    }

    @Test
    void everyArchitectureReadsBackFromItsJson() {
        Generated.check(500, ArchitectureJsonTest::architecture, architecture -> {
            Architecture read = ArchitectureJson.read(ArchitectureJson.write(architecture).toString());
            assertThat(read).isEqualTo(architecture);
            assertThat(read.canonical()).isEqualTo(architecture.canonical());
        });
    }

    private static Architecture architecture(SplittableRandom random) {
        Architecture.Builder builder = Architecture.builder();
        int dimensions = Generated.intBetween(random, 0, 6);
        for (int d = 0; d < dimensions; d++) {
            builder.put("d" + d, random.nextBoolean() ? value(random) : Generated.list(random, 0, 5, ArchitectureJsonTest::value));
        }
        return builder.build();
    }

    private static Object value(SplittableRandom random) {
        return Generated.oneOf(random, r -> Generated.anyLong(r), r -> Generated.doubleBetween(r, -1e6, 1e6), r -> r.nextBoolean(),
                r -> Generated.string(r, "abcxyz_.:+-", 1, 8) + "w");
    }
}
