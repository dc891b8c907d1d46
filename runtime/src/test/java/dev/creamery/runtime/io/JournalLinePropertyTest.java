package dev.creamery.runtime.io;

import static dev.creamery.testkit.Generated.anyDouble;
import static dev.creamery.testkit.Generated.anyString;
import static dev.creamery.testkit.Generated.check;
import static dev.creamery.testkit.Generated.doubleBetween;
import static dev.creamery.testkit.Generated.intBetween;
import static dev.creamery.testkit.Generated.list;
import static dev.creamery.testkit.Generated.longBetween;
import static dev.creamery.testkit.Generated.oneOf;
import static dev.creamery.testkit.Generated.pick;
import static dev.creamery.testkit.Generated.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creamery.api.Architecture;
import dev.creamery.api.Complexity;
import dev.creamery.api.Evaluation;
import dev.creamery.api.Trial;
import dev.creamery.runtime.io.CorruptFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The journal's line parser: a trial reads back from its line as itself, and any other line reads
 * as some trial or is one {@link CorruptFileException} naming the file and the line.
 */
class JournalLinePropertyTest {
    private static final Path FILE = Path.of("runs", "x", "trials.jsonl");

    private static Architecture architecture(SplittableRandom random) {
        return Architecture.of("depth", intBetween(random, 1, 4), "width", list(random, 0, 4, w -> intBetween(w, 1, 512)), "act",
                pick(random, "relu", "gelu", "x.1"));
    }

    private static Map<String, Double> metrics(SplittableRandom random) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = intBetween(random, 0, 4); i > 0; i--) {
            metrics.put(anyString(random, 1, 8), oneOf(random, r -> anyDouble(r), r -> pick(r, Double.NaN, Double.POSITIVE_INFINITY, -0.0)));
        }
        return metrics;
    }

    private static Journal.Line line(SplittableRandom random) {
        Trial trial = oneOf(random,
                ok -> new Trial(intBetween(ok, 0, 1 << 20), architecture(ok), new Complexity(longBetween(ok, 0, Long.MAX_VALUE),
                        longBetween(ok, 0, Long.MAX_VALUE)), Trial.Status.OK, new Evaluation(metrics(ok), doubleBetween(ok, 0, 1e6)), null),
                failed -> new Trial(intBetween(failed, 0, 1 << 20), architecture(failed), new Complexity(1, 2), Trial.Status.FAILED, null,
                        anyString(failed, 0, 60)));
        return new Journal.Line(trial, pick(random, Journal.MAIN, "space-1", "final"));
    }

    private static String write(Journal.Line line) {
        String json = Journal.toJson(line.trial());
        return line.phase().equals(Journal.MAIN) ? json : json.substring(0, json.length() - 1) + ",\"phase\":\"" + line.phase() + "\"}";
    }

    @Test
    void aTrialReadsBackFromItsLine() {
        check(1000, JournalLinePropertyTest::line, JournalLinePropertyTest::readsBack);
    }

    private static void readsBack(Journal.Line line) {
        Journal.Line read = Journal.parseLine(FILE, 1, write(line));
        assertThat(read.trial()).isEqualTo(line.trial());
        assertThat(read.phase()).isEqualTo(line.phase());
        assertThat(Journal.toJson(read.trial())).isEqualTo(Journal.toJson(line.trial()));
    }

    private static final String[] KEYS = {"\"number\"", "\"status\"", "\"params\"", "\"architecture\"", "\"metrics\"", "\"ok\"",
            "\"cost_seconds\"", "\"message\"", "\"phase\""};
    private static final String[] VALUES = {"null", "[]", "{}", "\"x\"", "1e999", "-1", "true", "99999999999999999999", "{\"a\":[[1]]}"};

    /** A trial's line with a few characters dropped and inserted, or one field's value replaced, or any text. */
    private static String damaged(SplittableRandom random) {
        return oneOf(random, edited -> {
            String text = write(line(edited));
            int position = Math.min(intBetween(edited, 0, 400), text.length());
            int drop = intBetween(edited, 0, 3);
            String insert = string(edited, "{}[]\":,0-9.eE-truefalsnul \\", 0, 3);
            return text.substring(0, position) + insert + text.substring(Math.min(text.length(), position + drop));
        }, replaced -> {
            String key = pick(replaced, KEYS);
            return write(line(replaced)).replaceFirst(java.util.regex.Pattern.quote(key) + ":(\"[^\"]*\"|[^,}\\]]*)",
                    java.util.regex.Matcher.quoteReplacement(key + ":" + pick(replaced, VALUES)));
        }, any -> anyString(any, 0, 80), special -> pick(special, "[", "{", "\"", "[".repeat(264)));
    }

    @Test
    void anyLineIsATrialOrRefusedNamingFileAndLine() {
        check(3000, JournalLinePropertyTest::damaged, JournalLinePropertyTest::isATrialOrRefused);
    }

    private static void isATrialOrRefused(String text) {
        try {
            Journal.Line read = Journal.parseLine(FILE, 7, text);
            assertThat(Journal.parseLine(FILE, 7, write(read)).trial()).isEqualTo(read.trial());
        } catch (CorruptFileException e) {
            assertThat(e.getMessage()).startsWith(FILE + ": line 7 is not a trial record (").doesNotContain("\n");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 300, 5_000, 100_000})
    void deeplyNestedLinesAreRefused(int depth) {
        String text = "{\"architecture\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        try {
            Journal.parseLine(FILE, 1, text);
        } catch (CorruptFileException e) {
            assertThat(e.getMessage()).startsWith(FILE + ": line 1 is not a trial record (");
        }
    }

    @Test
    void linesOfTheOtherPhasesKeepTheirPhase() {
        check(5, JournalLinePropertyTest::line,
                line -> assertThat(List.of(Journal.MAIN, "space-1", "final")).contains(Journal.parseLine(FILE, 1, write(line)).phase()));
    }
}
