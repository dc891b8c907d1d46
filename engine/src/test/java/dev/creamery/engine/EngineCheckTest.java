package dev.creamery.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class EngineCheckTest {
    @Test
    void takesTheFastestSettingThatComputesEveryConvolutionCorrectly() {
        List<ConvolutionSetting> tried = new ArrayList<>();
        Map<ConvolutionSetting, Double> errors = Map.of(ConvolutionSetting.DEFAULT, 0.41, ConvolutionSetting.AVX512_CORE, 0.2,
                ConvolutionSetting.AVX2, 3e-7);
        Verdict verdict = EngineCheck.choose(setting -> {
            tried.add(setting);
            return new ConvolutionProbe.Finding(errors.getOrDefault(setting, 0.0), "24->48 channels at " + setting, 561);
        });
        assertThat(tried).containsExactly(ConvolutionSetting.DEFAULT, ConvolutionSetting.AVX512_CORE, ConvolutionSetting.AVX2);
        assertThat(verdict.setting()).isEqualTo(ConvolutionSetting.AVX2);
        assertThat(verdict.errorAtDefault()).isEqualTo(0.41);
        assertThat(verdict.explain()).startsWith("this CPU's float32 convolutions are wrong with oneDNN at its own instruction set "
                + "(relative error 0.41 at 24->48 channels at DEFAULT); using oneDNN capped at AVX2, which computes all 561 checked");
    }

    @Test
    void keepsTheDefaultsWhereTheyAreRight() {
        Verdict verdict = EngineCheck.choose(setting -> new ConvolutionProbe.Finding(4e-7, "somewhere", 561));
        assertThat(verdict.setting()).isEqualTo(ConvolutionSetting.DEFAULT);
        assertThat(verdict.explain()).isEqualTo("float32 convolutions are correct with oneDNN at this CPU's instruction set "
                + "(561 computations checked against float64)");
    }

    @Test
    void saysSoWhenNoSettingIsRight() {
        Verdict verdict = EngineCheck.choose(setting -> new ConvolutionProbe.Finding(Double.POSITIVE_INFINITY, "the check crashed", 0));
        assertThat(verdict.setting()).isNull();
        assertThat(verdict.explain()).contains("wrong under every engine setting tried");
    }

    /** The guarantee itself: in this process, as any program gets it, the catalogue computes correctly. */
    @Tag("slow")
    @Test
    void thisProcessComputesEveryCatalogueConvolutionCorrectly() {
        Verdict verdict = EngineCheck.verdict();
        assertThat(verdict.setting() != null || verdict.source() == Verdict.Source.ENVIRONMENT).as(verdict.explain()).isTrue();
        ConvolutionProbe.Finding finding = ConvolutionProbe.check();
        assertThat(finding.checked()).isGreaterThan(ConvolutionProbe.catalogue().size());
        assertThat(finding.error()).as(finding.where()).isLessThan(ConvolutionProbe.TOLERANCE);
    }
}
