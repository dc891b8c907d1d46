package dev.creamery.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.api.Architecture;
import dev.creamery.api.InvalidArchitectureException;
import org.junit.jupiter.api.Test;

/** {@code deit:} architectures as users write them: iRPE's dimensions default as {@code get_rpe_config}'s signature. */
class DeitConfigTest {
    private static final String BASE = "embed_dim=192 depth=12 num_heads=3 mlp_ratio=4 patch_size=7";

    @Test
    void aMethodAloneTakesTheOfficialDefaults() {
        DeitConfig brief = DeitConfig.of(Architecture.parse(BASE + " rpe_method=product"));
        DeitConfig full = DeitConfig.of(Architecture.parse(BASE
                + " rpe_method=product rpe_mode=contextual rpe_ratio=1.9 rpe_shared_head=true rpe_on=k"));
        assertThat(brief).isEqualTo(full);
        assertThat(brief.architecture().canonical()).contains("rpe_mode=contextual", "rpe_ratio=1.9", "rpe_shared_head=true", "rpe_on=k");
    }

    @Test
    void noMethodIsPlainDeit() {
        assertThat(DeitConfig.of(Architecture.parse(BASE)).rpe()).isNull();
        assertThatThrownBy(() -> DeitConfig.of(Architecture.parse(BASE + " rpe_on=k")))
                .isInstanceOf(InvalidArchitectureException.class)
                .hasMessage("deit has no dimension 'rpe_on'; its dimensions are [embed_dim, depth, num_heads, mlp_ratio, patch_size,"
                        + " rpe_method]");
    }

    @Test
    void aBadIrpeSettingNamesTheAllowedValues() {
        assertThatThrownBy(() -> DeitConfig.of(Architecture.parse(BASE + " rpe_method=diagonal")))
                .hasMessage("unknown rpe method 'diagonal': use one of euc, quant, cross, product, or none");
        assertThatThrownBy(() -> DeitConfig.of(Architecture.parse(BASE + " rpe_method=euc rpe_shared_head=yes")))
                .hasMessage("rpe_shared_head is true or false, got yes");
    }
}
