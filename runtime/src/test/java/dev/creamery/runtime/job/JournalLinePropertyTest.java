package dev.creamery.runtime.job;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The journal's line parser: a trial reads back from its line as itself, and any other line reads
 * as some trial or is one {@link CorruptFileException} naming the file and the line.
 */
class JournalLinePropertyTest {
    private static final Path FILE = Path.of("runs", "x", "trials.jsonl");

    @Provide
    Arbitrary<Journal.Line> lines() {
        Arbitrary<Architecture> architectures = Combinators.combine(Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(1, 512).list().ofMaxSize(4), Arbitraries.of("relu", "gelu", "x.1"))
                .as((depth, widths, act) -> Architecture.of("depth", depth, "width", widths, "act", act));
        Arbitrary<Map<String, Double>> metrics = Combinators.combine(Arbitraries.strings().ofMinLength(1).ofMaxLength(8),
                Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0)))
                .as(Map::entry).list().ofMaxSize(4).map(entries -> {
                    Map<String, Double> map = new LinkedHashMap<>();
                    entries.forEach(e -> map.put(e.getKey(), e.getValue()));
                    return map;
                });
        Arbitrary<Trial> ok = Combinators.combine(Arbitraries.integers().between(0, 1 << 20), architectures,
                Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.longs().between(0, Long.MAX_VALUE), metrics,
                Arbitraries.doubles().between(0, 1e6)).as((n, a, p, f, m, cost) -> new Trial(n, a, new Complexity(p, f), Trial.Status.OK,
                        new Evaluation(m, cost), null));
        Arbitrary<Trial> failed = Combinators.combine(Arbitraries.integers().between(0, 1 << 20), architectures,
                Arbitraries.strings().ofMaxLength(60)).as((n, a, message) -> new Trial(n, a, new Complexity(1, 2), Trial.Status.FAILED,
                        null, message));
        return Combinators.combine(Arbitraries.oneOf(ok, failed), Arbitraries.of(Journal.MAIN, "space-1", "final"))
                .as(Journal.Line::new);
    }

    private static String write(Journal.Line line) {
        String json = Journal.toJson(line.trial());
        return line.phase().equals(Journal.MAIN) ? json : json.substring(0, json.length() - 1) + ",\"phase\":\"" + line.phase() + "\"}";
    }

    @Property(tries = 1000)
    void aTrialReadsBackFromItsLine(@ForAll("lines") Journal.Line line) {
        Journal.Line read = Journal.parseLine(FILE, 1, write(line));
        assertThat(read.trial()).isEqualTo(line.trial());
        assertThat(read.phase()).isEqualTo(line.phase());
        assertThat(Journal.toJson(read.trial())).isEqualTo(Journal.toJson(line.trial()));
    }

    @Provide
    Arbitrary<String> damaged() {
        Arbitrary<String> edited = Combinators.combine(lines(), Arbitraries.integers().between(0, 400),
                Arbitraries.integers().between(0, 3), Arbitraries.strings().withChars("{}[]\":,0-9.eE-truefalsnul \\").ofMaxLength(3))
                .as((line, at, drop, insert) -> {
                    String text = write(line);
                    int position = Math.min(at, text.length());
                    return text.substring(0, position) + insert + text.substring(Math.min(text.length(), position + drop));
                });
        Arbitrary<String> replaced = Combinators.combine(lines(), Arbitraries.of("\"number\"", "\"status\"", "\"params\"",
                "\"architecture\"", "\"metrics\"", "\"ok\"", "\"cost_seconds\"", "\"message\"", "\"phase\""),
                Arbitraries.of("null", "[]", "{}", "\"x\"", "1e999", "-1", "true", "99999999999999999999", "{\"a\":[[1]]}"))
                .as((line, key, value) -> write(line).replaceFirst(java.util.regex.Pattern.quote(key) + ":(\"[^\"]*\"|[^,}\\]]*)",
                        java.util.regex.Matcher.quoteReplacement(key + ":" + value)));
        return Arbitraries.oneOf(edited, replaced, Arbitraries.strings().ofMaxLength(80), Arbitraries.of("[", "{", "\"", "[[[[[[[[[["
                + "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["));
    }

    @Property(tries = 3000)
    void anyLineIsATrialOrRefusedNamingFileAndLine(@ForAll("damaged") String text) {
        try {
            Journal.Line read = Journal.parseLine(FILE, 7, text);
            assertThat(Journal.parseLine(FILE, 7, write(read)).trial()).isEqualTo(read.trial());
        } catch (CorruptFileException e) {
            assertThat(e.getMessage()).startsWith(FILE + ": line 7 is not a trial record (").doesNotContain("\n");
        }
    }

    @Property(tries = 20)
    void deeplyNestedLinesAreRefused(@ForAll("depths") int depth) {
        String text = "{\"architecture\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        try {
            Journal.parseLine(FILE, 1, text);
        } catch (CorruptFileException e) {
            assertThat(e.getMessage()).startsWith(FILE + ": line 1 is not a trial record (");
        }
    }

    @Provide
    Arbitrary<Integer> depths() {
        return Arbitraries.of(10, 300, 5_000, 100_000);
    }

    @Property(tries = 5)
    void linesOfTheOtherPhasesKeepTheirPhase(@ForAll("lines") Journal.Line line) {
        assertThat(List.of(Journal.MAIN, "space-1", "final")).contains(Journal.parseLine(FILE, 1, write(line)).phase());
    }
}
