package dev.creamery.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Evaluation;
import dev.creamery.api.Trial;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    private static Trial ok(int number) {
        return new Trial(number, Architecture.of("depth", number, "width", List.of(8, 16)), new Complexity(100 + number, 1000),
                Trial.Status.OK, new Evaluation(Map.of("accuracy", 0.5 + number / 100.0, "params", 100.0 + number), 1.5), null);
    }

    @Test
    void appendsAndReadsBackTrials(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trials.jsonl");
        Trial failed = new Trial(2, Architecture.of("depth", 9, "width", List.of(1)), new Complexity(1, 1), Trial.Status.FAILED, null,
                "the loss became NaN");
        try (Journal journal = Journal.open(file)) {
            journal.append(ok(0));
            journal.append(ok(1));
            journal.append(failed);
        }
        try (Journal journal = Journal.open(file)) {
            assertThat(journal.trials()).containsExactly(ok(0), ok(1), failed);
        }
        assertThat(Files.readAllLines(file)).hasSize(3).allMatch(line -> line.startsWith("{\"number\":"));
    }

    @Test
    void keepsEachPhaseApart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trials.jsonl");
        try (Journal journal = Journal.open(file)) {
            journal.append("space-1", ok(1));
            journal.append(ok(2));
            journal.append("final", ok(3));
            journal.append("space-1", ok(4));
        }
        try (Journal journal = Journal.open(file)) {
            assertThat(journal.trials()).containsExactly(ok(1), ok(2), ok(3), ok(4));
            assertThat(journal.trials("space-1")).containsExactly(ok(1), ok(4));
            assertThat(journal.trials(Journal.MAIN)).containsExactly(ok(2));
            assertThat(journal.trials("final")).containsExactly(ok(3));
            assertThat(journal.trials("space-2")).isEmpty();
        }
        assertThat(Files.readAllLines(file).get(0)).contains("\"phase\":\"space-1\"");
        assertThat(Files.readAllLines(file).get(1)).doesNotContain("phase");
    }

    @Test
    void dropsALineCutShortByAKill(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trials.jsonl");
        try (Journal journal = Journal.open(file)) {
            journal.append(ok(0));
        }
        Files.writeString(file, "{\"number\":1,\"status\":\"ok\",\"canon", StandardOpenOption.APPEND);
        try (Journal journal = Journal.open(file)) {
            assertThat(journal.trials()).containsExactly(ok(0));
            journal.append(ok(1));
        }
        try (Journal journal = Journal.open(file)) {
            assertThat(journal.trials()).containsExactly(ok(0), ok(1));
        }
    }

    @Test
    void refusesAnEditedJournal(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("trials.jsonl"), "{\"number\":0}\n");
        assertThatThrownBy(() -> Journal.open(file)).isInstanceOf(UncheckedIOException.class).hasMessageContaining("line 1");
    }
}
