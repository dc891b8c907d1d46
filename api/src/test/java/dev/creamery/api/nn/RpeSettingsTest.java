package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** iRPE's HOCON block: keys left out take get_rpe_config's defaults; a bad value is refused when the block is read. */
class RpeSettingsTest {
    @Test
    void keysLeftOutTakeTheOfficialDefaults() {
        assertThat(new RpeSettings(null, null, null, null, null).config(1)).isEqualTo(RpeConfig.of(1.9, "product", "contextual", true, 1, "k"));
        assertThat(new RpeSettings("cross", "bias", 20.0, false, "qk").config(0)).isEqualTo(RpeConfig.of(20, "cross", "bias", false, 0, "qk"));
    }

    @Test
    void aBadValueIsRefusedAtOnce() {
        assertThatThrownBy(() -> new RpeSettings(null, "both", null, null, null)).hasMessage("unknown rpe mode 'both': use one of bias, contextual");
        assertThatThrownBy(() -> new RpeSettings(null, null, 0.2, null, null)).hasMessageContaining("gives no buckets");
        assertThatThrownBy(() -> new RpeSettings(null, "bias", null, null, "v")).hasMessageContaining("not on v");
    }
}
