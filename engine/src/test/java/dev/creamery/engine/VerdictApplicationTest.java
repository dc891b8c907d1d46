package dev.creamery.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cached verdict reaches oneDNN before the engine's first kernel, in a fresh program that does
 * nothing about it: oneDNN's own log names the instruction set it was capped at, or shows that no
 * oneDNN convolution ran at all.
 */
@Tag("slow")
class VerdictApplicationTest {
    @TempDir
    Path cache;

    @Test
    void aCachedCapIsInForceFromTheFirstConvolution() throws Exception {
        VerdictCache.in(cache.resolve("creamery")).write(new Verdict(ConvolutionSetting.SSE41, Verdict.Source.CHECKED, 561, 0.41, "x"));
        String out = run();
        assertThat(out).contains("onednn_verbose,v1,info,cpu,isa:Intel SSE4.1")
                .contains("centre 216.0")
                .contains("verdict SSE41 CACHED");
    }

    @Test
    void aCachedVerdictWithoutOneDnnRunsPyTorchsOwnKernels() throws Exception {
        VerdictCache.in(cache.resolve("creamery")).write(new Verdict(ConvolutionSetting.NO_ONEDNN, Verdict.Source.CHECKED, 561, 0.41, "x"));
        String out = run();
        assertThat(out).doesNotContain("exec,cpu,convolution").contains("centre 216.0").contains("verdict NO_ONEDNN CACHED");
    }

    private String run() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                OneConvolution.class.getName())).redirectErrorStream(true);
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        builder.environment().put("ONEDNN_VERBOSE", "1");
        builder.environment().remove("ONEDNN_MAX_CPU_ISA");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        return out;
    }
}
