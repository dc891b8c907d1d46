package dev.creamery.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.api.UnsatisfiableConstraintsException;
import dev.creamery.runtime.Jobs;
import dev.creamery.testkit.RecordingProgress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A size limit no member can meet is refused before the evaluator trains anything, or anything is written. */
class UnsatisfiableConstraintsJobTest {
    @TempDir
    Path dir;

    @Test
    void isRefusedBeforeTheSupernetTrains() throws Exception {
        LoadedJob job = Jobs.load(Jobs.write(dir, "tiny.conf", Jobs.TINY_SEARCH), JobLoader.Purpose.SEARCH,
                "strategy.constraints.params=[0, 10]");
        RecordingProgress notes = new RecordingProgress();
        assertThatThrownBy(() -> new JobRunner(notes).run(job, dir.resolve("run"), RunFolder.Mode.NEW))
                .isInstanceOf(UnsatisfiableConstraintsException.class).hasMessageContaining("params limit [0, 10]");
        // Refused before the run folder is touched: nothing is left behind to --resume or --overwrite.
        assertThat(dir.resolve("run")).doesNotExist();
    }
}
