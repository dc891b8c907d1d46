package dev.creamery.runtime.job;

import static dev.creamery.runtime.Commands.creamery;
import static dev.creamery.runtime.Commands.creameryWithProgress;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.creamery.runtime.Commands.Result;
import dev.creamery.runtime.Jobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run folders a kill, a disk or a hand left damaged, resumed through the command line. */
class DamagedRunFolderTest {
    @TempDir
    static Path dir;

    static Path job;
    static Path finished;
    static List<String> lines;

    @BeforeAll
    static void runATinySearch() throws Exception {
        job = Jobs.write(dir, "tiny.conf", Jobs.TINY_SEARCH);
        finished = dir.resolve("finished");
        Result result = creamery("run", job.toString(), "--out", finished.toString());
        assertThat(result.status()).as(result.err()).isZero();
        lines = Files.readAllLines(finished.resolve("trials.jsonl"));
        assertThat(lines).hasSizeGreaterThan(3);
    }

    private static Path copy(String name) throws Exception {
        Path copy = dir.resolve(name);
        try (var files = Files.walk(finished)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(finished.relativize(file).toString()));
            }
        }
        return copy;
    }

    private static String canonical(String line) {
        return JsonParser.parseString(line).getAsJsonObject().get("canonical").getAsString();
    }

    @Test
    void aJournalWhoseLastLineAKillCutShortResumesKeepingEveryWholeLine() throws Exception {
        Path run = copy("cut");
        Path journal = run.resolve("trials.jsonl");
        String last = lines.get(lines.size() - 1);
        String cut = last.substring(0, last.length() / 2);
        Files.writeString(journal, String.join("\n", lines.subList(0, lines.size() - 1)) + "\n" + cut);
        Result resumed = creameryWithProgress("run", job.toString(), "--out", run.toString(), "--resume");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains(journal + ": dropped its last line, cut short by a stop (" + cut.length()
                + " bytes); that trial is evaluated again");
        List<String> after = Files.readAllLines(journal);
        assertThat(after.subList(0, lines.size() - 1)).containsExactlyElementsOf(lines.subList(0, lines.size() - 1));
        assertThat(after).hasSize(lines.size());
        assertThat(canonical(after.get(after.size() - 1))).isEqualTo(canonical(last));
    }

    @Test
    void aJournalLineThatIsNotJsonIsOneErrorNamingFileAndLine() throws Exception {
        Path run = copy("edited");
        Path journal = run.resolve("trials.jsonl");
        List<String> edited = new java.util.ArrayList<>(lines);
        edited.set(1, "not json at all");
        Files.write(journal, edited);
        byte[] before = Files.readAllBytes(journal);
        Result resumed = creamery("run", job.toString(), "--out", run.toString(), "--resume");
        assertThat(resumed.status()).isEqualTo(2);
        assertThat(resumed.err()).isEqualTo("error: " + journal + ": line 2 is not a trial record (it is not JSON: malformed JSON at line 1 "
                + "column 6 path $); the journal was edited or is from another version; restore that line, or start the run anew with "
                + "--overwrite" + System.lineSeparator());
        assertThat(journal).hasBinaryContent(before);
    }

    @Test
    void aRecordedJobConfThatIsNoLongerHoconIsOneErrorNamingIt() throws Exception {
        Path run = copy("conf");
        Path conf = run.resolve("job.conf");
        Files.writeString(conf, "job { name = \"tiny");
        Result resumed = creamery("run", job.toString(), "--out", run.toString(), "--resume");
        assertThat(resumed.status()).isEqualTo(2);
        assertThat(resumed.err()).startsWith("error: " + conf + ": is not the settings this run recorded (")
                .endsWith("); restore it, or start the run anew with --overwrite" + System.lineSeparator());
        assertThat(resumed.err().lines()).hasSize(1);
    }

    @Test
    void aDamagedCheckpointStartsTrainingAgainAndSaysSo() throws Exception {
        Path trainJob = Jobs.write(dir, "train.conf", """
                job {
                  seed = 2
                  compute { device = cpu, threads = 1 }
                  data { type = synthetic, size = 8, classes = 4, train-size = 256, validation-size = 64, test-size = 64 }
                  model = tiny-mlp-l
                  training { epochs = 2, batch-size = 32, warmup-epochs = 0 }
                }
                """);
        Path run = dir.resolve("train");
        Result first = creamery("train", trainJob.toString(), "--out", run.toString());
        assertThat(first.status()).as(first.err()).isZero();
        String accuracy = JsonParser.parseString(Files.readString(run.resolve("result.json"))).getAsJsonObject().get("test_accuracy")
                .toString();
        Path checkpoint = run.resolve("checkpoints/train.checkpoint.safetensors");
        byte[] whole = Files.readAllBytes(checkpoint);
        Files.write(checkpoint, java.util.Arrays.copyOf(whole, whole.length / 3));
        Result resumed = creameryWithProgress("train", trainJob.toString(), "--out", run.toString(), "--resume");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.err()).containsPattern(java.util.regex.Pattern.quote(checkpoint + ": damaged checkpoint (")
                + ".*" + java.util.regex.Pattern.quote("); kept as train.checkpoint.safetensors.damaged, train starts again from epoch 1"));
        assertThat(run.resolve("checkpoints/train.checkpoint.safetensors.damaged")).exists();
        assertThat(JsonParser.parseString(Files.readString(run.resolve("result.json"))).getAsJsonObject().get("test_accuracy")
                .toString()).isEqualTo(accuracy);
    }
}
