package dev.creamery.runtime.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Evaluation;
import dev.creamery.api.Trial;
import dev.creamery.runtime.io.CorruptFileException;
import dev.creamery.runtime.io.OutputException;
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
    void refusesAnEditedJournalNamingTheFileAndTheLine(@TempDir Path dir) throws Exception {
        String remedy = "; the journal was edited or is from another version; restore that line, or start the run anew with --overwrite";
        Path file = dir.resolve("trials.jsonl");
        try (Journal journal = Journal.open(file)) {
            journal.append(ok(0));
        }
        String good = Files.readString(file);
        Files.writeString(file, good + "{\"number\":0}\n" + good);
        assertThatThrownBy(() -> Journal.open(file)).isInstanceOf(CorruptFileException.class)
                .hasMessage(file + ": line 2 is not a trial record (it has no status)" + remedy);
        Files.writeString(file, good + "\n[1, 2]\n" + good);
        assertThatThrownBy(() -> Journal.open(file)).hasMessage(file + ": line 3 is not a trial record (it is not a JSON object)" + remedy);
        Files.writeString(file, good + "{\"number\":1,\"status\":\n" + good);
        assertThatThrownBy(() -> Journal.read(file)).isInstanceOf(CorruptFileException.class)
                .hasMessageStartingWith(file + ": line 2 is not a trial record (it is not JSON: ").hasMessageEndingWith(remedy)
                .hasMessageNotContaining("\n");
        Files.writeString(file, good.replace("\"ok\"", "\"done\""));
        assertThatThrownBy(() -> Journal.read(file)).hasMessage(file + ": line 1 is not a trial record (its status 'done' is not ok, "
                + "failed or rejected)" + remedy);
    }

    @Test
    void anAppendThatFailsLeavesNoHalfLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trials.jsonl");
        Journal journal = Journal.open(file);
        journal.append(ok(0));
        long size = Files.size(file);
        journal.close();
        // The channel is closed under the journal: the next append fails, as on a disk that went away.
        assertThatThrownBy(() -> journal.append(ok(1))).isInstanceOf(OutputException.class)
                .hasMessageStartingWith(file + ": cannot append trial 1 (");
        assertThat(Files.size(file)).isEqualTo(size);
        assertThat(journal.trials()).containsExactly(ok(0));
    }
}
