package dev.creamery.autoformer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creamery.runtime.cli.Creamery;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's main job, {@code examples/quickstart.conf}, is a valid search job whose members span
 * the sizes its comments promise (what makes the comparison with the largest and smallest members
 * worth reading).
 */
class QuickStartJobTest {
    private static final String QUICK_START = Path.of("..", "examples", "quickstart.conf").toString();

    @Test
    void theQuickStartIsValidAndItsMembersSpanThirtyThousandToAMillionParameters() {
        StringWriter out = new StringWriter();
        int status = Creamery.execute(new String[] {"validate", QUICK_START}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertThat(status).as(out.toString()).isZero();
        assertThat(out.toString()).contains("is valid (search job 'quickstart')")
                .containsPattern("baselines=\\[\\s*largest,\\s*smallest,\\s*random\\s*]");

        StringWriter err = new StringWriter();
        int refused = Creamery.execute(new String[] {"validate", QUICK_START, "--quiet", "--set", "strategy.constraints.params=[0, 10k]"},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(refused).isEqualTo(2);
        assertThat(err.toString()).contains("its members span 30.6k to 1.01M params");
    }
}
