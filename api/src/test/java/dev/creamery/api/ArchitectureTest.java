package dev.creamery.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private final Architecture sample = Architecture.of("depth", 3, "mlp_ratio", List.of(3.5, 4.0, 3), "embed_dim", 192,
            "act", "gelu", "shared", true);

    @Test
    void canonicalFormIsOrderedAndNormalised() {
        assertThat(sample.canonical()).isEqualTo("depth=3 mlp_ratio=[3.5,4,3] embed_dim=192 act=gelu shared=true");
        assertThat(sample.getList("mlp_ratio")).containsExactly(3.5, 4L, 3L);
        assertThat(sample.getDoubleList("mlp_ratio")).containsExactly(3.5, 4.0, 3.0);
        assertThat(Architecture.of("x", 4.0)).isEqualTo(Architecture.of("x", 4));
        assertThat(Architecture.of("a", 1, "b", 2)).isNotEqualTo(Architecture.of("b", 2, "a", 1));
    }

    @Test
    void roundTripsThroughText() {
        assertThat(Architecture.parse(sample.canonical())).isEqualTo(sample);
        Architecture tiny = Architecture.of("lr", 1e-7, "neg", -2, "empty", List.of());
        assertThat(Architecture.parse(tiny.canonical())).isEqualTo(tiny);
    }

    @Test
    void nineteenDigitNumbersAndNumericStringsKeepOneForm() {
        Architecture big = Architecture.of("n", Long.MAX_VALUE, "m", List.of(Long.MIN_VALUE));
        assertThat(Architecture.parse(big.canonical())).isEqualTo(big);
        // The canonical form cannot tell "1e5" from 1e5: the string is the number.
        Architecture numeric = Architecture.of("a", "1e5", "b", "007", "c", "true");
        assertThat(numeric.canonical()).isEqualTo("a=100000 b=7 c=true");
        assertThat(Architecture.parse(numeric.canonical())).isEqualTo(numeric);
        assertThat(numeric.get("a")).isEqualTo(100000L);
        assertThatThrownBy(() -> Architecture.of("x", "1e999")).hasMessageContaining("finite");
    }

    @Test
    void rejectsMalformedInput() {
        assertThatThrownBy(() -> Architecture.parse("depth=3 width")).hasMessageContaining("'width'");
        assertThatThrownBy(() -> Architecture.parse("w=[1,2")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> Architecture.of("x", "has space")).hasMessageContaining("has space");
        assertThatThrownBy(() -> Architecture.of("x", Double.NaN)).hasMessageContaining("finite");
        assertThatThrownBy(() -> sample.getInt("missing")).hasMessageContaining("missing");
        assertThatThrownBy(() -> sample.getInt("act")).hasMessageContaining("not a whole number");
    }

    @Test
    void builderReplacesInPlace() {
        Architecture changed = sample.toBuilder().put("depth", 2).build();
        assertThat(changed.canonical()).startsWith("depth=2 mlp_ratio");
        assertThat(sample.getInt("depth")).isEqualTo(3);
    }
}
