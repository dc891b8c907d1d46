package dev.creamery.autoformer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creamery.runtime.cli.Creamery;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A space-evolution job whose first window has no member inside its size limits is refused by
 * {@code validate} and by {@code run} before anything trains, with exit status 2 and the window's span.
 */
class SpaceEvolutionCommandTest {
    private static final String EXAMPLE = Path.of("..", "examples", "s3-fashion.conf").toString();
    private static final String TOO_SMALL = "strategy.constraints.params=[0, 100k]";
    private static final String EXPECTED = "error: no member of space-evolution's first window (3 candidates of each dimension around "
            + "the middle: [depth(structural) in [3, 4, 5], mlp_ratio[per layer of depth] in [2, 3, 4], num_heads[per layer of depth] "
            + "in [2, 3, 4], embed_dim(structural) in [64, 96, 128]]) meets the size limits: params [0, 100.0k] and FLOPs [0, inf], "
            + "but its members span 109.4k to 1.01M params and 1.94M to 17.55M FLOPs for this task; widen strategy.constraints, or "
            + "change the space's candidates or strategy.window";

    @TempDir
    Path dir;

    @Test
    void aFirstWindowOverTheLimitIsRefusedBeforeTraining() throws Exception {
        StringWriter err = new StringWriter();
        int status = Creamery.execute(new String[] {"validate", EXAMPLE, "--quiet", "--set", TOO_SMALL}, new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo(EXPECTED);

        Path out = dir.resolve("run");
        StringWriter runErr = new StringWriter();
        int runStatus = Creamery.execute(new String[] {"run", EXAMPLE, "--out", out.toString(), "--set", TOO_SMALL},
                new PrintWriter(new StringWriter()), new PrintWriter(runErr));
        assertThat(runStatus).isEqualTo(2);
        assertThat(runErr.toString().strip()).isEqualTo(EXPECTED);
        // Refused before the run folder is made: nothing is written, nothing trained.
        assertThat(out).doesNotExist();
    }
}
